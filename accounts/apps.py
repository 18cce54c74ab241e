from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from .export import profile_export, register_exporter

        register_exporter("profile", profile_export)
