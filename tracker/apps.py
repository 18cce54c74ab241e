from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self):
        from accounts.dashboard import register_panel, shared

        from . import privacy  # noqa: F401  (data export section, account-deletion receiver)
        from .data_version import tracker_row_changed
        from .models import MeetingPdf
        from .selectors import dashboard_access, dashboard_consistency, dashboard_summary

        def access(request):  # one access check and one teams query for both tracker panels
            return shared(request, "tracker:access", lambda: dashboard_access(request.user))

        register_panel(
            key="tracker",
            template="tracker/includes/dashboard_panel.html",
            order=30,
            get_context=lambda request: dashboard_summary(user=request.user, access=access(request)),
        )
        # The leader's consistency score, streak and next-step prompt.
        register_panel(
            key="tracker_consistency",
            template="tracker/consistency/dashboard_panel.html",
            order=31,
            get_context=lambda request: dashboard_consistency(user=request.user, access=access(request)),
        )
        # The consistency panel is cached per tracker-data version: any tracker write moves it.
        for model in self.get_models():
            if model is MeetingPdf:  # a stored rendering, not tracker data: storing one must not move the version
                continue
            post_save.connect(tracker_row_changed, sender=model, dispatch_uid=f"tracker-version-save-{model.__name__}")
            post_delete.connect(tracker_row_changed, sender=model, dispatch_uid=f"tracker-version-del-{model.__name__}")
