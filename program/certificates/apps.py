from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Completion certificates: issued on completion or by the coach, verifiable by code."""

    name = "program.certificates"
    label = "certificates"
    verbose_name = "certificates"

    def ready(self) -> None:
        from . import (
            privacy,  # noqa: F401  (certificates in "download my data", account-deletion receiver)
            receivers,  # noqa: F401  (signal receivers, dashboard panel, admin menu item)
        )
