from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "program"

    def ready(self) -> None:
        from . import (
            certificate_receivers,  # noqa: F401  (certificates: signals, panel, admin)
            payment_panels,  # noqa: F401  (payments: dashboard billing panel)
            privacy,  # noqa: F401  (data export section, account-deletion receiver)
        )
