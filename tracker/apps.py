from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self):
        from accounts.dashboard import register_panel

        from . import privacy  # noqa: F401  (data export section, account-deletion receiver)
        from .data_version import tracker_row_changed
        from .models import MeetingPdf
        from .views.dashboard_panels import HTML_TEMPLATE, consistency_panel, summary_panel

        # Both share one access check and teams query per request; their HTML is cached per
        # version of the shown teams' data (tracker/views/dashboard_panels.py).
        register_panel(key="tracker", template=HTML_TEMPLATE, order=30, get_context=summary_panel)
        # The leader's consistency score, streak and next-step prompt.
        register_panel(key="tracker_consistency", template=HTML_TEMPLATE, order=31, get_context=consistency_panel)
        # Every tracker write moves the data versions the cached summaries and fragments are keyed on.
        for model in self.get_models():
            if model is MeetingPdf:  # a stored rendering, not tracker data: storing one must not move the version
                continue
            post_save.connect(tracker_row_changed, sender=model, dispatch_uid=f"tracker-version-save-{model.__name__}")
            post_delete.connect(tracker_row_changed, sender=model, dispatch_uid=f"tracker-version-del-{model.__name__}")
