from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"

    def ready(self):
        from accounts.dashboard import register_panel

        from . import signals
        from .dashboard import learning_panel

        signals.connect()
        from . import privacy  # noqa: F401  (data export section, account-deletion receiver)

        register_panel(
            key="learning", template="lessons/includes/dashboard_panel.html", order=10, get_context=learning_panel
        )
