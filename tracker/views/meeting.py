from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..models import MeetingPdf, MeetingPresentation
from ..rules import add_months
from ..rules.periods import MONTH, PERIODS, QUARTER, YEAR_TO_DATE, period_months
from ..selectors import meeting_context
from ..selectors.periods import PeriodBoard
from ..selectors.rankings import rankings_context
from ..services.meeting import PENDING_REFRESH_SECONDS, request_pdf
from .access import tracker_view
from .cached import team_fragment
from .rankings_html import row_html
from .team_body import team_body


@tracker_view
def rankings(request, team, month):
    """The month's rankings; with ?period=quarter or ?period=ytd, the quarter or year to date
    ending with this month (plain links, no JavaScript)."""
    period = request.GET.get("period", MONTH)
    if period in (QUARTER, YEAR_TO_DATE):
        return _period_rankings(request, team, month, period)
    body = rankings_fragment(team, month, day=timezone.localdate())
    return render(request, "tracker/rankings.html", {"team": team, "month": month, "body": body})


def rankings_fragment(team, month, *, day):
    """The month's rankings body, kept per team data version (views/cached.py); also warmed after a
    grid save (views/warm.py)."""
    return team_fragment(team=team, name=f"rankings:{month:%Y-%m}", day=day, build=lambda: _rankings_body(team, month))


def _rankings_body(team, month) -> str:
    """The month's rankings below the site header: the same for everyone who may see the team."""
    context = rankings_context(team, month)
    context.update(period=MONTH, periods=PERIODS, rows=[row_html(row, spark) for row, spark in context["rows"]])
    return render_to_string("tracker/includes/rankings_body.html", context)


def _period_rankings(request, team, month, period: str):
    """The quarter or year to date, rendered once per version of the team's data and day."""

    def context() -> dict:
        return {
            "team": team,
            "month": month,
            "board": selectors.period_board(team=team, month=month, period=period),
            "period": period,
            "periods": PERIODS,
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
        }

    body = team_body(
        request,
        team=team,
        name=f"rankings:{period}:{month:%Y-%m}",
        day=timezone.localdate(),
        template="tracker/bodies/rankings_period.html",
        context=context,
    )
    months = period_months(month, period, starts_in=team.year_starts_in)
    board = PeriodBoard(team, period, month, months, [])  # the title's label: no query
    return render(request, "tracker/rankings_period.html", {"team": team, "body": body, "board": board})


@tracker_view
def meeting(request, team, month):
    records = selectors.meeting_records(team=team, month=month)  # bests, any result, presented: one query
    context = meeting_context(team, month, records=records.bests)
    presented_at = records.presented_at
    context["presentation"] = presented_at and MeetingPresentation(team=team, month=month, presented_at=presented_at)
    context["presentation_history"] = (
        selectors.presentation_history(team=team, month=month) if records.any_event else []
    )
    context["no_celebration"] = not records.any_celebration
    if context["presentation"] is None:
        context["present_problem"] = services.meeting_present_problem(
            team=team, month=month, has_results=records.month_has_results
        )
    return render(request, "tracker/meeting.html", context)


@tracker_view
def meeting_pdf(request, team, month):
    """The meeting view as a PDF, stored per content (tracker.services.meeting). Served at once when stored;
    a small team's is rendered now; a big team's is rendered in the background while this URL
    answers 202 with a page that reloads itself (no JavaScript needed) until the PDF is ready."""
    answer = request_pdf(team=team, month=month)
    row = answer.row
    if row.status == MeetingPdf.Status.READY:
        response = HttpResponse(bytes(row.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="results-{month:%Y-%m}.pdf"'
        add_never_cache_headers(response)  # the same URL serves a new PDF once the data changes
        return response
    failed = row.status == MeetingPdf.Status.FAILED
    response = render(
        request,
        "tracker/meeting_pdf_pending.html",
        {"team": team, "month": month, "failed": failed, "refresh_seconds": PENDING_REFRESH_SECONDS},
        status=503 if failed else 202,
    )
    if not failed:
        response["Retry-After"] = str(PENDING_REFRESH_SECONDS)
    add_never_cache_headers(response)
    return response


@tracker_view
@require_POST
def meeting_presented(request, team, month):
    """POST: mark the month as presented; with undo=1, take that back (recorded)."""
    if request.POST.get("undo") == "1":
        if services.meeting_unmark_presented(team=team, month=month, user=request.user):
            messages.success(request, f"{month:%B %Y} is no longer marked as presented.")
        return redirect("tracker:meeting", team_id=team.pk, month=month)
    try:
        services.meeting_mark_presented(team=team, month=month, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{month:%B %Y} results marked as presented.")
    return redirect("tracker:meeting", team_id=team.pk, month=month)


@tracker_view
def rankings_current(request, team):
    """Rankings open on the month just finished: that is the one the meeting publishes."""
    return redirect("tracker:rankings", team_id=team.pk, month=add_months(selectors.current_month(), -1))
