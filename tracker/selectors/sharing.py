"""Results the team can see: a member's own scorecard (through a signed link, no account), the
rankings each member is emailed, and the read-only board link for a screen in the office."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import ActionItem, Member, TeamBoardLink
from ..rules import RankingRow
from .rankings import team_board

SCORECARD_SALT = "tracker.member-scorecard"
SCORECARD_MAX_AGE = 60 * 60 * 24 * 120  # a link from a monthly email keeps working for about four months


def address_key(email: str) -> str:
    """A short hash of the address a signed link was sent to (case and spaces do not count)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def scorecard_token(member: Member) -> str:
    """Bound to the member and the address it is sent to: once the leader changes or removes the
    address (or the person deletes their Huddle account, which removes it), the link stops."""
    return signing.dumps({"m": member.pk, "e": address_key(member.email)}, salt=SCORECARD_SALT, compress=False)


def scorecard_url(member: Member, month: datetime.date) -> str:
    return settings.SITE_URL + reverse("tracker:scorecard", args=[scorecard_token(member), month])


def member_from_scorecard_token(token: str) -> Member | None:
    """The member a genuine, unexpired link names (still on an existing team); None otherwise."""
    try:
        data = signing.loads(token, salt=SCORECARD_SALT, max_age=SCORECARD_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    member = Member.objects.select_related("team").filter(pk=data["m"]).first()
    if member is None or not member.email:
        return None  # no address: nobody was sent this link (or the address was removed since)
    if "e" in data and data["e"] != address_key(member.email):  # links sent before had no "e"
        return None
    return member


@dataclass
class Scorecard:
    member: Member
    month: datetime.date
    row: RankingRow | None
    ranked_count: int
    action_items: list[ActionItem] = field(default_factory=list)


def visible_ranking(board) -> list[RankingRow]:
    """The rows everyone may see: all ranked rows, or only the top half when the team shows top
    half only (then nobody below the line, and no move down, is exposed)."""
    return board.ranked_rows if board.team.show_full_rankings else board.top_half


def member_scorecard(*, member: Member, month: datetime.date, board=None) -> Scorecard:
    """One member's targets, results, attainment, rank and personal best for `month`, and their
    open action items. Four queries (three for the board, shared when given)."""
    board = board or team_board(team=member.team, month=month)
    row = next((r for r in board.rows if r.member.pk == member.pk), None)
    items = list(
        ActionItem.objects.filter(member=member, owner=ActionItem.Owner.MEMBER, done_at__isnull=True).order_by("due_on")
    )
    return Scorecard(member, month, row, len(board.ranked_rows), items)


def live_board_link(key) -> TeamBoardLink | None:
    link = TeamBoardLink.objects.select_related("team").filter(key=key).first()
    return link if link is not None and link.is_live else None
