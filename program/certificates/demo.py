"""Demo: Priya Raman (graduate@huddle.test) has finished the program and holds a certificate.

Idempotent: the lessons demo records her completion (which issues the certificate through the
program_completed signal); this seeder makes sure it exists, and issues it if it does not.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import demo_user
from program.models import Enrollment, EnrollmentEvent, ProgramPage

from .models import Certificate
from .services import certificate_issue

GRADUATE = "graduate@huddle.test"


def seed(*, log) -> None:
    try:
        graduate = demo_user(GRADUATE)
    except Exception:  # accounts.demo did not run: nothing to attach a certificate to
        log("certificates: no graduate demo user, skipped")
        return
    program = ProgramPage.objects.live().order_by("pk").first()
    if program is None:
        log("certificates: no program page, skipped")
        return
    enrollment, _ = Enrollment.objects.get_or_create(
        user=graduate, program=program, defaults={"source": Enrollment.Source.MANUAL, "reason": "Demo graduate"}
    )
    if enrollment.completed_at is None:  # normally set by lessons.demo; keep the demo whole without it
        enrollment.completed_at = timezone.now() - timedelta(days=9)
        enrollment.save(update_fields=["completed_at"])
        EnrollmentEvent.objects.create(enrollment=enrollment, action="completed", source=enrollment.source)
    if Certificate.objects.filter(enrollment=enrollment).exists():
        log(f"certificates: {graduate.email} already holds a certificate")
        return
    certificate = certificate_issue(enrollment=enrollment, notify=False)
    log(f"certificates: issued {certificate.code} to {graduate.email}")
