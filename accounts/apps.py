from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from . import time_zones, user_cache
        from .export import profile_export, register_exporter

        time_zones.connect()
        user_cache.connect()

        register_exporter("profile", profile_export)
