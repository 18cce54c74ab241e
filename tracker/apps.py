from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"

    def ready(self):
        from accounts.dashboard import register_panel

        from .selectors import dashboard_summary

        register_panel(
            key="tracker",
            template="tracker/includes/dashboard_panel.html",
            order=30,
            get_context=lambda request: dashboard_summary(user=request.user),
        )
