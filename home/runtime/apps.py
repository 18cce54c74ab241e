from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """Worker and scheduler processes, heartbeats, failed background work in the admin."""

    name = "home.runtime"
    label = "runtime"
    verbose_name = "Background work"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home.core.metrics import register_collector

        from .metrics import runtime_metrics

        register_collector("runtime", runtime_metrics)  # queue depth and age, lease holder, heartbeats
