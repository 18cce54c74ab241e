from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Checkout, fulfilment, refunds, disputes and company seats for the program pages."""

    name = "program.payments"
    label = "payments"
    verbose_name = "payments"

    def ready(self) -> None:
        from . import (
            offers,  # noqa: F401  (promotion codes for program.offers)
            panels,  # noqa: F401  (the dashboard's billing panel)
            privacy,  # noqa: F401  (payments in "download my data", account-deletion receiver)
            receivers,  # noqa: F401  (a changed seat price tier forgets the cached program page)
        )
