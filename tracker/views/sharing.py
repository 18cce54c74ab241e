"""Results the team can see: share by email, the board links (create, revoke), the public
read-only board and a member's own scorecard (signed links, no account)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from ..rules import add_months, month_start
from ..selectors import current_month, meeting_context
from ..selectors.sharing import live_board_link, member_from_scorecard_token, member_scorecard
from ..services.sharing import board_link_create, board_link_revoke, results_share
from .access import tracker_view
from .cached import team_fragment
from .team_body import team_body

BOARD_REFRESH_SECONDS = 300


@tracker_view
def share(request, team, month):
    if request.method == "POST":
        count = results_share(team=team, month=month)
        messages.success(request, f"{month:%B} results emailed to {count} member{'s' if count != 1 else ''}.")
        return redirect("tracker:share", team_id=team.pk, month=month)
    body = team_body(
        request,
        team=team,
        name=f"share:{month:%Y-%m}",
        day=timezone.localdate(),
        template="tracker/bodies/share.html",
        context=lambda: _share_context(team, month),
    )
    return render(request, "tracker/rhythm/share.html", {"team": team, "month": month, "body": body})


def _share_context(team, month) -> dict:
    """The page below the title, the same for everyone who may see the team until the first live
    link shown expires (`valid_until`)."""
    links = list(team.board_links.all()[:20])
    live = [link.expires_at for link in links if link.is_live]
    return {
        "team": team,
        "month": month,
        "links": [(link, settings.SITE_URL + reverse("tracker:board", args=[link.key])) for link in links],
        "members_with_email": team.members.filter(active=True).exclude(email="").count(),
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "valid_until": min(live, default=None),
    }


@tracker_view
def share_current(request, team):
    """Sharing opens on the month just finished."""
    return redirect("tracker:share", team_id=team.pk, month=add_months(current_month(), -1))


@tracker_view
@require_POST
def board_link_new(request, team, month):
    board_link_create(team=team, created_by=request.user)
    messages.success(request, "A new board link is ready. Open it on the office screen.")
    return redirect("tracker:share", team_id=team.pk, month=month)


@tracker_view
@require_POST
def board_link_off(request, team, month, link_id: int):
    board_link_revoke(link=get_object_or_404(team.board_links, pk=link_id))
    messages.success(request, "Board link revoked: it no longer opens.")
    return redirect("tracker:share", team_id=team.pk, month=month)


def board(request, key):
    """Public, read-only: the latest finished month's meeting view, refreshing itself. The link is
    checked on every request; the board itself is rendered once per version of the team's data."""
    link = live_board_link(key)
    if link is None:
        raise Http404("This board link is not valid any more.")
    today = timezone.localdate()
    month = add_months(month_start(today), -1)
    body = team_fragment(
        team=link.team,
        name=f"board:{month:%Y-%m}",
        day=today,
        build=lambda: render_to_string("tracker/rhythm/board_body.html", meeting_context(link.team, month)),
    )
    context = {"team": link.team, "month": month, "body": body, "refresh_seconds": BOARD_REFRESH_SECONDS}
    response = render(request, "tracker/rhythm/board.html", context)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def scorecard(request, token: str, month):
    """Public: a member's own scorecard for `month` through the signed link in their email."""
    member = member_from_scorecard_token(token)
    if member is None or month > current_month():
        raise Http404("This scorecard link is not valid.")
    card = member_scorecard(member=member, month=month)
    response = render(
        request,
        "tracker/rhythm/scorecard.html",
        {
            "card": card,
            "team": member.team,
            "month": month,
            "token": token,
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1) if month < current_month() else None,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response
