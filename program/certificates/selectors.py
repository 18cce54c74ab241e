"""Reads for certificate pages, each in a fixed number of queries."""

from accounts.models import User
from accounts.roles import is_coach

from ..compiled_rows import user_rows
from .models import Certificate


def certificates_for_user(*, user: User) -> list[Certificate]:
    """The user's valid certificates, newest first (one query, its SQL compiled once per process)."""
    return user_rows("certificates:valid", _valid_certificates, user_id=user.pk)


def _valid_certificates(user_id: int):
    return Certificate.objects.filter(user=user_id, status=Certificate.Status.VALID).order_by("-completed_on", "-pk")


def certificate_for_owner(*, user: User, code: str) -> Certificate | None:
    """The certificate with `code` if `user` may see it: its owner while it is valid, or
    staff at any time. None otherwise, so views answer 404 without saying why."""
    certificate = Certificate.objects.filter(code=code).prefetch_related("revisions").first()
    if certificate is None or not user.is_authenticated:
        return None
    if is_coach(user):
        return certificate
    if certificate.user_id == user.pk and certificate.is_valid:
        return certificate
    return None


def certificate_for_verification(*, code: str) -> Certificate | None:
    """The certificate for the public verification page (one query); None for unknown codes."""
    return Certificate.objects.filter(code=code).first()
