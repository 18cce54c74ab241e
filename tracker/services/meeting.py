"""Step 2 writes: the month's results marked as presented, and the stored meeting PDF.

The PDF is stored in MeetingPdf under the SHA-256 of its HTML, so the same data is served at once
and any change in the data makes a new PDF (a stale one is never served). WeasyPrint's cost grows
with the table: a team of 200 members x 6 metrics takes seconds, more than a request may (gunicorn
kills a worker after 30 s, and a loaded machine is several times slower). So only small PDFs are
rendered in the request; bigger ones by a background task (`render_meeting_pdf` below,
`manage.py db_worker` in production) while the leader sees a page that reloads itself until the
PDF is ready. One PENDING row per content key, created through a unique constraint, means several
app processes never enqueue the same render twice.
"""

import datetime
import hashlib
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from home.core.pdf import render_pdf

from ..models import MeetingPdf, MeetingPresentation, PresentationEvent, Result, Team
from ..rules import month_start
from ..selectors.rankings import meeting_context


def meeting_present_problem(
    *, team: Team, month: datetime.date, today: datetime.date | None = None, has_results: bool | None = None
) -> str | None:
    """Why `month` cannot be marked as presented yet, or None. Presenting is publishing a finished
    month's results: the month must be over and hold at least one result. One query, none when
    the caller knows already whether the month `has_results`."""
    today = today or timezone.localdate()
    if month_start(month) >= month_start(today):
        return f"{month:%B %Y} is not over yet: present its results after the month ends."
    if has_results is None:
        has_results = Result.objects.filter(member__team=team, month=month_start(month)).exists()
    if not has_results:
        return f"{month:%B %Y} has no results yet: enter or import them before presenting."
    return None


@transaction.atomic
def meeting_mark_presented(
    *, team: Team, month: datetime.date, user: User, today: datetime.date | None = None
) -> MeetingPresentation:
    """Record that the month's results were published in the group meeting (once per month; marking
    it again after an undo is kept in the month's history too).
    ValidationError when the month is not over or has no results (meeting_present_problem)."""
    problem = meeting_present_problem(team=team, month=month, today=today)
    if problem:
        raise ValidationError(problem)
    presentation, created = MeetingPresentation.all_objects.select_for_update().get_or_create(
        team=team, month=month_start(month), defaults={"presented_by": user}
    )
    if not created and presentation.undone_at is None:
        return presentation  # already presented: nothing happened, nothing to record
    if not created:  # presented again after an undo
        presentation.presented_at, presentation.presented_by = timezone.now(), user
        presentation.undone_at = presentation.undone_by = None
        presentation.save()
    PresentationEvent.objects.create(
        team=team,
        month=presentation.month,
        action=PresentationEvent.Action.PRESENTED,
        at=presentation.presented_at,
        by=user,
    )
    return presentation


@transaction.atomic
def meeting_unmark_presented(*, team: Team, month: datetime.date, user: User) -> MeetingPresentation | None:
    """Undo "presented" for the month: the record stays, with who undid it and when, the undo joins
    the month's history, and the month counts as not presented again. None when it was not marked."""
    presentation = MeetingPresentation.objects.select_for_update().filter(team=team, month=month_start(month)).first()
    if presentation is not None:
        presentation.undone_at, presentation.undone_by = timezone.now(), user
        presentation.save(update_fields=["undone_at", "undone_by"])
        PresentationEvent.objects.create(
            team=team,
            month=presentation.month,
            action=PresentationEvent.Action.UNDONE,
            at=presentation.undone_at,
            by=user,
        )
    return presentation


PDF_TEMPLATE = "tracker/pdf/meeting.html"
# Render in the request only up to this many table cells (rows x columns). Measured on the 2-core
# dev machine (bench/bench_tracker.py and a sweep of team sizes): about 1 ms a cell with this template
# (10 members 0.12 s, 50 members 0.55 s, 200 members 2.2 s, 6 metrics and full rankings), so 550
# cells (50 members x 11 columns, or 110 rows of 5 when only the top half is shown) is ~0.6 s here
# and still under ~2 s on a machine three times slower. Above it the PDF is made in the background.
INLINE_MAX_CELLS = 550
PENDING_REFRESH_SECONDS = 3  # the waiting page reloads itself this often
PENDING_RETRY_SECONDS = 600  # a render still pending after this is enqueued again (worker lost it)
FAILED_RETRY_SECONDS = 60  # after a failed render, asking again retries once this has passed
Status = MeetingPdf.Status


def pdf_cells(context: dict) -> int:
    """Table cells in the PDF: what its rendering time grows with."""
    columns = 5 + (len(context["board"].metrics) if context["team"].show_full_rankings else 0)
    return len(context["visible_rows"]) * columns


def content_key(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


@dataclass
class PdfRequest:
    """What the PDF URL should answer: the stored PDF (`row.status` READY) or a page saying it is
    being prepared (PENDING) or could not be made (FAILED)."""

    row: MeetingPdf
    rendered_inline: bool = False
    enqueued: bool = False


def request_pdf(*, team: Team, month: datetime.date) -> PdfRequest:
    """The meeting PDF for the team's current data: stored, rendered now (small), or enqueued once
    (big). Fixed queries: the board's three, one lookup, and one or two writes when it is new."""
    context = meeting_context(team, month, for_pdf=True)
    html = render_to_string(PDF_TEMPLATE, context)
    key = content_key(html)
    row = _stored(team=team, key=key)
    if row is not None and row.status == Status.READY:
        return PdfRequest(row)
    if row is None and pdf_cells(context) <= INLINE_MAX_CELLS:
        return PdfRequest(_store(team=team, month=month, key=key, context=context), rendered_inline=True)
    if row is None:
        row, created = _create_pending(team=team, month=month, key=key)
        if created:
            _enqueue(row)
            return PdfRequest(row, enqueued=True)
    now = timezone.now()
    retry_after = PENDING_RETRY_SECONDS if row.status == Status.PENDING else FAILED_RETRY_SECONDS
    if row.status != Status.READY and row.requested_at < now - datetime.timedelta(seconds=retry_after):
        # Lost by the worker, or failed a while ago: one process (the one whose conditional update
        # wins) enqueues it again.
        claimed = MeetingPdf.objects.filter(pk=row.pk, status=row.status, requested_at=row.requested_at).update(
            status=Status.PENDING, requested_at=now, error=""
        )
        if claimed:
            row.status, row.requested_at, row.error = Status.PENDING, now, ""
            _enqueue(row)
            return PdfRequest(row, enqueued=True)
        row = _stored(team=team, key=key) or row  # another process claimed it: show its state
    return PdfRequest(row)


def _stored(*, team: Team, key: str) -> MeetingPdf | None:
    return MeetingPdf.objects.filter(team=team, key=key).first()


def _create_pending(*, team: Team, month: datetime.date, key: str) -> tuple[MeetingPdf, bool]:
    """The PENDING row for `key`, created at most once across every process (unique team + key)."""
    try:
        with transaction.atomic():
            return MeetingPdf.objects.create(team=team, month=month, key=key, status=Status.PENDING), True
    except IntegrityError:  # another request created it a moment ago
        return MeetingPdf.objects.get(team=team, key=key), False


def _enqueue(row: MeetingPdf) -> None:
    pk = row.pk
    transaction.on_commit(lambda: render_meeting_pdf.enqueue(pk))


def _store(*, team: Team, month: datetime.date, key: str, context: dict) -> MeetingPdf:
    """Render the PDF and keep it as the team's one PDF for the month (older contents go)."""
    started = time.perf_counter()
    pdf = render_pdf(template=PDF_TEMPLATE, context=context)
    row, _ = MeetingPdf.objects.update_or_create(
        team=team,
        key=key,
        defaults={
            "month": month,
            "status": Status.READY,
            "pdf": pdf,
            "rendered_at": timezone.now(),
            "render_seconds": round(time.perf_counter() - started, 3),
            "error": "",
        },
    )
    MeetingPdf.objects.filter(team=team, month=month).exclude(pk=row.pk).delete()
    return row


def render_pending(pdf_id: int) -> MeetingPdf | None:
    """The background task's work: render the PDF of the team's data as it is NOW and store it
    under that data's key. When the data changed since the request, the requested key is stale:
    its row goes (the waiting page asks again with the new key and finds this PDF)."""
    row = MeetingPdf.objects.select_related("team").filter(pk=pdf_id).first()
    if row is None or row.status == Status.READY:
        return row
    team, month = row.team, row.month
    try:
        context = meeting_context(team, month, for_pdf=True)
        key = content_key(render_to_string(PDF_TEMPLATE, context))
        stored = _store(team=team, month=month, key=key, context=context)
    except Exception as exc:
        MeetingPdf.objects.filter(pk=pdf_id, status=Status.PENDING).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    return stored


@task()
def render_meeting_pdf(pdf_id: int) -> None:
    """Render a big team's meeting PDF and store it (the module's docstring explains the whole flow)."""
    render_pending(pdf_id)
