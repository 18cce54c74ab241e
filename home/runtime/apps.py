from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """Worker and scheduler processes, heartbeats, failed background work in the admin, and the
    list of addresses the email provider told us never to mail again."""

    name = "home.runtime"
    label = "runtime"
    verbose_name = "Background work"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anymail.signals import tracking

        from home.core.mail_suppression import register_suppression_lookup
        from home.core.metrics import register_collector

        from . import privacy, suppression  # noqa: F401  (privacy connects its receivers on import)
        from .metrics import runtime_metrics

        register_suppression_lookup(suppression.suppressed_lookup)
        tracking.connect(suppression.on_tracking_event, dispatch_uid="huddle-email-suppression")
        register_collector("runtime", runtime_metrics)  # queue depth and age, lease holder, heartbeats
