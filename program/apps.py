from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "program"

    def ready(self) -> None:
        from . import (
            privacy,  # noqa: F401  (data export section, account-deletion receiver)
        )
