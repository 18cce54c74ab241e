from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from home.core.caching import versions

        from . import admin_profile, time_zones, user_cache
        from .export import profile_export, register_exporter

        time_zones.connect()
        user_cache.connect()
        admin_profile.connect()  # the Wagtail profile kept for the admin forgets on its changes
        # Read along with the session (home.core.caching.versions.read_along): a per-user cache
        # keyed on them (the lesson page body) then costs no round trip for them.
        versions.register_user_counters(user_cache.version_keys)
        versions.register_user_counters(admin_profile.version_keys)

        register_exporter("profile", profile_export)
