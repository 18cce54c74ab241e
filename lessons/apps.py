from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"

    def ready(self):
        from accounts.dashboard import register_panel
        from home.core.caching.routing import register_sub_route

        from . import signals
        from .dashboard import learning_panel
        from .routing import route_lesson

        signals.connect()
        from . import privacy  # noqa: F401  (data export section, account-deletion receiver)

        register_panel(
            key="learning", template="lessons/includes/dashboard_panel.html", order=10, get_context=learning_panel
        )
        # /<program>/<module>/<lesson>/ in one query instead of four (lesson-page query budget).
        register_sub_route("program.ProgramPage", 2, route_lesson)
