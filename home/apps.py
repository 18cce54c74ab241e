from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from . import (
            newsletter_admin,  # noqa: F401  (newsletter: Wagtail admin views, issue 6)
            privacy,  # noqa: F401  (data export section, account-deletion receiver)
            signals,  # noqa: F401
        )
