from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """Worker and scheduler processes, heartbeats, failed background work in the admin."""

    name = "home.runtime"
    label = "runtime"
    verbose_name = "Background work"
    default_auto_field = "django.db.models.BigAutoField"
