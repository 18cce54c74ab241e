"""Reads for certificate pages, each in a fixed number of queries."""

from accounts.models import User
from accounts.roles import is_coach

from ..compiled_rows import user_rows
from .models import Certificate

# The learner dashboard's one query counts the user's valid certificates and puts the number under
# this key (`accounts.dashboard.shared`): at 0 the certificates panel is hidden without its query.
ON_FILE_KEY = "certificates:on-file"
# ... and its valid certificates (code, program_title, issued_at, completed_on; newest first) under this one.
VALID_ROWS_KEY = "certificates:valid-rows"


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


REPORT_PER_PAGE = 25


def issued_certificates(*, program_id: int | None = None, since=None, until=None):
    """Certificates issued in [since, until) (either may be None), newest first: the coach's report,
    and the same rule as the dashboard's "certificates issued" count so its link lists what it
    counted. Revoked ones are included (they were issued; the report says which)."""
    query = Certificate.objects.order_by("-issued_at", "-pk")
    if program_id is not None:
        query = query.filter(program_id=program_id)
    if since is not None:
        query = query.filter(issued_at__gte=since)
    if until is not None:
        query = query.filter(issued_at__lt=until)
    return query


def issued_certificates_page(*, page_number=1, **filters):
    """One page of `issued_certificates` with the total from the same query (a window count):
    one query whatever the amount of data (a page past the end: a count and the last page)."""
    from django.core.paginator import Page, Paginator
    from django.db.models import Count, Window

    try:
        number = max(int(page_number or 1), 1)
    except (TypeError, ValueError):
        number = 1
    query = issued_certificates(**filters)
    counted = query.annotate(total_rows=Window(Count("pk")))
    rows = list(counted[(number - 1) * REPORT_PER_PAGE : number * REPORT_PER_PAGE])
    paginator = Paginator(query, REPORT_PER_PAGE)
    if rows:
        paginator.count = rows[0].total_rows
        return Page(rows, number, paginator)
    if number == 1:  # an empty first page: none at all
        paginator.count = 0
        return Page([], 1, paginator)
    return paginator.get_page(number)
