from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """The weekly newsletter: subscribers and their consent ledger, issues as pages, sending."""

    name = "home.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from . import (
            admin,  # noqa: F401  (Wagtail admin: subscribers, "Send newsletter")
            privacy,  # noqa: F401  (data export section, account-deletion receiver)
            receivers,  # noqa: F401  (bounces and complaints unsubscribe the address)
        )
