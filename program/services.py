from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User

from .models import Enrollment, EnrollmentEvent, ProgramPage
from .signals import enrollment_revoked


@transaction.atomic
def enrollment_grant(
    *, user: User, program: ProgramPage, source: str, reason: str = "", actor: User | None = None
) -> Enrollment:
    """Give `user` access to `program`. Idempotent: an active enrollment is returned as is;
    a revoked one is re-activated (progress was kept). Every change is audited."""
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.select_for_update().get_or_create(
                user=user, program=program, defaults={"source": source, "reason": reason}
            )
    except IntegrityError:  # a parallel grant won the race; use its row
        enrollment, created = Enrollment.objects.select_for_update().get(user=user, program=program), False
    if created:
        EnrollmentEvent.objects.create(
            enrollment=enrollment, action="granted", source=source, reason=reason, actor=actor
        )
        return enrollment
    if enrollment.status == Enrollment.Status.REVOKED:
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.source = source
        enrollment.reason = reason
        enrollment.revoked_at = None
        enrollment.full_clean()
        enrollment.save()
        EnrollmentEvent.objects.create(
            enrollment=enrollment, action="restored", source=source, reason=reason, actor=actor
        )
    return enrollment


@transaction.atomic
def enrollment_revoke(*, enrollment: Enrollment, reason: str, actor: User | None = None) -> Enrollment:
    """Take access away, keeping the row and the learner's progress."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.REVOKED:
        return enrollment
    enrollment.status = Enrollment.Status.REVOKED
    enrollment.revoked_at = timezone.now()
    enrollment.reason = reason
    enrollment.save(update_fields=["status", "revoked_at", "reason"])
    EnrollmentEvent.objects.create(enrollment=enrollment, action="revoked", reason=reason, actor=actor)
    enrollment_revoked.send(sender=Enrollment, enrollment=enrollment, reason=reason)
    return enrollment
