import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from home.pdf import render_pdf

from .. import selectors, services
from ..attainment import add_months
from ..charts import line_chart, sparkline
from ..models import MeetingPresentation
from .access import tracker_view

PDF_TEMPLATE = "tracker/pdf/meeting.html"
PDF_CACHE_SECONDS = 60 * 60 * 24


def _context(team, month, *, for_pdf: bool = False) -> dict:
    board = selectors.team_board(team=team, month=month, history=6)
    visible = board.ranked_rows if team.show_full_rankings else board.top_half
    progress = sorted(
        (r for r in board.rows if r.progress is not None), key=lambda r: (-(r.progress or 0), r.member.name)
    )
    return {
        "team": team,
        "month": month,
        "board": board,
        "visible_rows": [(r, sparkline(r.history, label=r.member.name)) for r in visible],
        "ranked_count": len(board.ranked_rows),
        "progress": progress,
        "personal_bests": [r for r in board.rows if r.is_personal_best],
        "chart": line_chart(
            months=board.months,
            series=[("Team", board.team_history)],
            title=f"{team.name}: attainment by month",
            width=720,
            height=220,
        ),
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "for_pdf": for_pdf,
    }


@tracker_view
def rankings(request, team, month):
    context = _context(team, month)
    context["rows"] = [(r, sparkline(r.history, label=r.member.name)) for r in context["board"].rows]
    return render(request, "tracker/rankings.html", context)


@tracker_view
def meeting(request, team, month):
    context = _context(team, month)
    context["presentation"] = MeetingPresentation.objects.filter(team=team, month=month).first()
    return render(request, "tracker/meeting.html", context)


@tracker_view
def meeting_pdf(request, team, month):
    """The meeting view as a PDF. WeasyPrint is the slow part, so the PDF is cached under a hash
    of its HTML: any change in the data makes a new PDF, the same data is served at once."""
    context = _context(team, month, for_pdf=True)
    html = render_to_string(PDF_TEMPLATE, context)
    key = "tracker:meeting-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(template=PDF_TEMPLATE, context=context)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="results-{month:%Y-%m}.pdf"'
    return response


@tracker_view
@require_POST
def meeting_presented(request, team, month):
    services.meeting_mark_presented(team=team, month=month, user=request.user)
    messages.success(request, f"{month:%B %Y} results marked as presented.")
    return redirect("tracker:meeting", team_id=team.pk, month=month)


@tracker_view
def rankings_current(request, team):
    """Rankings open on the month just finished: that is the one the meeting publishes."""
    return redirect("tracker:rankings", team_id=team.pk, month=add_months(selectors.current_month(), -1))
