from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    """Free webinars: pages, sessions with seats and a waitlist, registrations and their emails."""

    name = "program.webinars"
    label = "webinars"
    verbose_name = "webinars"

    def ready(self) -> None:
        from . import (
            admin,  # noqa: F401  (the coach's Wagtail admin views and menu item)
            privacy,  # noqa: F401  (export rows, account-deletion receiver)
            receivers,  # noqa: F401  (the funnel: link registrations to new users)
        )
