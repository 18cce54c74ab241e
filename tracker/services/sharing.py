"""Step 2, publish: share the month's results with the whole team by email (rankings as the team's
setting allows, the meeting PDF, and each member's own scorecard), and the board links."""

import datetime

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue

from ..models import MeetingPdf, Team, TeamBoardLink
from ..selectors.rankings import team_board
from ..selectors.sharing import member_scorecard, scorecard_url, visible_ranking
from .meeting import request_pdf

BOARD_LINK_DAYS = 90


@transaction.atomic
def results_share(*, team: Team, month: datetime.date) -> int:
    """Email every active member with an address the month's rankings (top half only when the team
    says so), the meeting PDF when it is ready, and their own scorecard with its link. Returns the
    number of emails queued (after commit)."""
    board = team_board(team=team, month=month)
    ranking = visible_ranking(board)
    pdf = request_pdf(team=team, month=month).row
    attachment = bytes(pdf.pdf) if pdf.status == MeetingPdf.Status.READY else None
    count = 0
    for row in board.rows:
        member = row.member
        if not member.active or not member.email:
            continue
        card = member_scorecard(member=member, month=month, board=board)
        context = {
            "team": team,
            "month": month,
            "member": member,
            "ranking": ranking,
            "full": team.show_full_rankings,
            "card": card,
            "scorecard_url": scorecard_url(member, month),
            "leader": team.leader,
            "has_pdf": attachment is not None,
        }
        message = EmailMultiAlternatives(
            subject=f"{team.name}: {month:%B} results",
            body=render_to_string("tracker/email/results_share.txt", context),
            to=[member.email],
            reply_to=[team.leader.email],
        )
        message.attach_alternative(render_to_string("tracker/email/results_share.html", context), "text/html")
        if attachment is not None:
            message.attach(f"results-{month:%Y-%m}.pdf", attachment, "application/pdf")
        transaction.on_commit(lambda m=message: email_queue(m))
        count += 1
    return count


def board_link_create(*, team: Team, created_by: User, days: int = BOARD_LINK_DAYS) -> TeamBoardLink:
    days = max(1, min(int(days), 365))
    return TeamBoardLink.objects.create(
        team=team, created_by=created_by, expires_at=timezone.now() + datetime.timedelta(days=days)
    )


def board_link_revoke(*, link: TeamBoardLink) -> TeamBoardLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
