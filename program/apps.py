from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "program"

    def ready(self) -> None:
        from . import (
            learner_data,
            privacy,  # noqa: F401  (data export section, account-deletion receiver)
        )
        from .models import Enrollment

        learner_data.connect(Enrollment)
