"""Co-leaders, with their consent: the team's owner invites an address; the person holding that
verified address accepts through a signed, expiring, single-use link. Only the owner manages
co-leaders. The owner's form says the same thing whether or not the address has an account.

A co-leader works on the owner's team under the owner's access (enrollment or trial): co-leading
gives no tracker of one's own, and it ends when the owner's access ends (selectors.teams).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue_plain
from home.core.ratelimit import rate_limit_hit
from home.core.signed_links import INVALID, TokenError, make_token, read_token

from ..models import CoLeaderInvitation, Team, TeamCoLeader

INVITATION_SALT = "tracker.coleader-invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600
INVITATIONS_PER_DAY = 20  # per owner: invitations are mail the leader makes the site send
EXPIRED = "This invitation has expired. Ask the team's leader to send a new one."
USED = "This invitation has already been used."
WITHDRAWN = "The team's leader withdrew this invitation. It no longer gives access to the team."


def _send(invitation: CoLeaderInvitation, token: str) -> None:
    team = invitation.team
    context = {
        "team": team,
        "owner": team.leader,
        "accept_url": settings.SITE_URL + reverse("tracker:coleader_accept", args=[token]),
        "days": INVITATION_MAX_AGE // 86400,
    }
    email_queue_plain(
        subject=f"{team.leader.full_name or team.leader.email} invites you to co-lead {team.name}",
        message=render_to_string("tracker/email/coleader_invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def coleader_invite(*, team: Team, email: str) -> CoLeaderInvitation:
    """Email `email` a link to co-lead `team`. The same outcome whether or not an account uses the
    address (the invitee can sign up first). ValidationError past the owner's daily limit."""
    email = email.strip()
    if email.lower() == team.leader.email.lower():
        raise ValidationError({"email": "That is your own address: you already lead this team."})
    if rate_limit_hit(
        scope="tracker-coleader-invite", key=str(team.leader_id), limit=INVITATIONS_PER_DAY, window_seconds=86400
    ):
        raise ValidationError({"email": "You have sent many invitations today. Please try again tomorrow."})
    invitation = CoLeaderInvitation(team=team, email=email)
    invitation.full_clean()
    invitation.save()
    token = make_token(invitation.key, salt=INVITATION_SALT)
    transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def coleader_invitation_for_token(token: str) -> CoLeaderInvitation:
    """The open invitation behind `token`; TokenError (a message safe to show) otherwise."""
    key = read_token(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE, expired=EXPIRED)
    invitation = CoLeaderInvitation.objects.select_related("team__leader").filter(key=key).first()
    if invitation is None:
        raise TokenError(INVALID)
    if invitation.withdrawn_at:
        raise TokenError(WITHDRAWN)
    if invitation.accepted_at:
        raise TokenError(USED)
    return invitation


def coleader_invitations_pending(*, team: Team) -> list[CoLeaderInvitation]:
    """The owner's invitations that are neither accepted nor withdrawn, newest first (at most 20)."""
    return list(team.coleader_invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)[:20])


def coleader_invitation_pending(*, team: Team, invitation_id: int) -> CoLeaderInvitation:
    """One pending invitation of `team`; CoLeaderInvitation.DoesNotExist (a 404) otherwise."""
    return team.coleader_invitations.get(pk=invitation_id, accepted_at__isnull=True, withdrawn_at__isnull=True)


@transaction.atomic
def coleader_invitation_withdraw(*, team: Team, invitation_id: int) -> CoLeaderInvitation:
    """The owner takes back a pending invitation: its link then says it was withdrawn and grants
    nothing. Only a pending invitation of `team` (DoesNotExist otherwise); the caller checks that the
    user is the team's owner."""
    invitation = (
        CoLeaderInvitation.objects.select_for_update()
        .filter(team=team, pk=invitation_id, accepted_at__isnull=True, withdrawn_at__isnull=True)
        .get()
    )
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


def holds_address(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def coleader_accept(*, token: str, user: User) -> TeamCoLeader:
    """`user` accepts: only once, before it expires, and only with the invited address verified
    on their account. TokenError (safe to show) otherwise."""
    invitation = coleader_invitation_for_token(token)
    invitation = CoLeaderInvitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
    if invitation.withdrawn_at:  # withdrawn between the page and the button
        raise TokenError(WITHDRAWN)
    if invitation.accepted_at:
        raise TokenError(USED)
    if not holds_address(user, invitation.email):
        raise TokenError(
            "This invitation was sent to another address. Log in with the account for that address "
            "(or add and confirm it in your account), then open the link again."
        )
    if user.pk == invitation.team.leader_id:
        raise TokenError("You already lead this team.")
    coleader, _ = TeamCoLeader.objects.get_or_create(team=invitation.team, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return coleader


def coleader_remove(*, team: Team, user_id: int) -> None:
    TeamCoLeader.objects.filter(team=team, user_id=user_id).delete()
