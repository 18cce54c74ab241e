"""Company seats: invite leaders by email, revoke or reassign unclaimed seats, accept once.

Every write locks the SeatPurchase row first (select_for_update), so counting seats and taking
one happen as one step: parallel accepts or invites can never hand out more seats than bought.
Invitation links carry a random token; only its SHA-256 hash is stored.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue_plain
from program.models import Enrollment
from program.selectors import user_has_access
from program.services import enrollment_grant

from .models import SeatInvitation, SeatPurchase, SeatTopUp

INVITATION_DAYS = 14


class SeatError(Exception):
    """A seat action that cannot happen; the message is shown to the person as is."""


@dataclass(frozen=True)
class SeatCounts:
    quantity: int
    used: int
    invited: int

    @property
    def free(self) -> int:
        return max(self.quantity - self.used - self.invited, 0)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seat_counts(*, purchase: SeatPurchase) -> SeatCounts:
    """Seats taken (accepted), held by a live invitation, and free; one query."""
    now = timezone.now()
    live = Q(invitations__accepted_at__isnull=True, invitations__revoked_at__isnull=True)
    row = SeatPurchase.objects.filter(pk=purchase.pk).aggregate(
        used=Count("invitations", filter=Q(invitations__accepted_at__isnull=False)),
        invited=Count("invitations", filter=live & Q(invitations__expires_at__gt=now)),
    )
    return SeatCounts(quantity=purchase.quantity, used=row["used"], invited=row["invited"])


def _locked(purchase: SeatPurchase) -> SeatPurchase:
    purchase = SeatPurchase.objects.select_for_update().get(pk=purchase.pk)
    if purchase.revoked_at:
        raise SeatError("These seats were refunded, so they can no longer be used.")
    return purchase


def _send_invitation(invitation: SeatInvitation, token: str) -> None:
    purchase = invitation.purchase
    context = {
        "buyer": purchase.buyer,
        "program": purchase.program,
        "accept_url": settings.SITE_URL + reverse("payments:seat_accept", args=[token]),
        "expires_at": invitation.expires_at,
    }
    email_queue_plain(
        subject=f"{purchase.buyer.full_name or purchase.buyer.email} invited you to {purchase.program.title}",
        message=render_to_string("payments/email/company_invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def seat_invite(*, purchase: SeatPurchase, email: str) -> tuple[SeatInvitation, str]:
    """Offer one free seat to `email`: returns the invitation and the one-time token for the link
    (emailed after commit). Refuses when no seat is free or the address already holds a seat."""
    email = email.strip().lower()
    validate_email(email)
    purchase = _locked(purchase)
    if seat_counts(purchase=purchase).free < 1:
        raise SeatError("Every seat is taken or invited. Revoke an unused invitation to free one.")
    now = timezone.now()
    holding = purchase.invitations.filter(email__iexact=email).filter(
        Q(accepted_at__isnull=False) | Q(revoked_at__isnull=True, expires_at__gt=now)
    )
    if holding.exists():
        raise SeatError(f"{email} already has a seat or an open invitation.")
    token = secrets.token_urlsafe(32)
    invitation = SeatInvitation(
        purchase=purchase, email=email, token_hash=token_hash(token), expires_at=now + timedelta(days=INVITATION_DAYS)
    )
    invitation.full_clean()
    invitation.save()
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


@transaction.atomic
def seat_invitation_revoke(*, invitation: SeatInvitation) -> SeatInvitation:
    """Withdraw an invitation nobody accepted yet; its seat becomes free again."""
    _locked(invitation.purchase)
    invitation = SeatInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise SeatError("That seat has been claimed; it can no longer be revoked here.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def seat_reassign(*, invitation: SeatInvitation, email: str) -> tuple[SeatInvitation, str]:
    """Give a seat that was never claimed to someone else: the old link stops working."""
    seat_invitation_revoke(invitation=invitation)
    return seat_invite(purchase=invitation.purchase, email=email)


def invitation_for_token(token: str) -> SeatInvitation | None:
    return (
        SeatInvitation.objects.select_related("purchase__program", "purchase__buyer")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def seat_accept(*, token: str, user: User) -> Enrollment:
    """Claim the seat behind `token` for `user` and enrol them. Works once, before it expires,
    and only while the purchase still has a seat; a leader who already has access keeps the
    seat free for someone else."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise SeatError("This invitation link is not valid. Check that you copied the whole link.")
    purchase = _locked(invitation.purchase)
    invitation = SeatInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise SeatError("This invitation has already been used.")
    if invitation.revoked_at:
        raise SeatError("This invitation was withdrawn. Ask the person who invited you for a new one.")
    if invitation.expires_at <= timezone.now():
        raise SeatError("This invitation has expired. Ask the person who invited you for a new one.")
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        # Bound to the invited address: a forwarded link is not a seat. The buyer can re-send the
        # seat to a corrected address (seat_reassign).
        raise SeatError(
            "This invitation was sent to another address. Log in with the account for that address (or add "
            "and confirm it in your account), or ask the person who invited you to send it to this one."
        )
    if user_has_access(user=user, program=purchase.program):
        raise SeatError("You already have access to this program, so the seat stays free for a colleague.")
    if purchase.invitations.filter(accepted_at__isnull=False).count() >= purchase.quantity:
        raise SeatError("All seats in this purchase have been claimed.")
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return enrollment_grant(
        user=user, program=purchase.program, source=Enrollment.Source.SEAT, reason=f"Seat from {purchase.buyer.email}"
    )


@transaction.atomic
def seat_purchase_revoke(*, purchase: SeatPurchase) -> list[Enrollment]:
    """Close a refunded purchase: open invitations stop working. Returns the seat enrollments
    it gave, for the caller to revoke (their progress is kept)."""
    purchase = SeatPurchase.objects.select_for_update().get(pk=purchase.pk)
    now = timezone.now()
    purchase.revoked_at = purchase.revoked_at or now
    purchase.save(update_fields=["revoked_at"])
    purchase.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    user_ids = purchase.invitations.filter(accepted_by__isnull=False).values_list("accepted_by_id", flat=True)
    return list(
        Enrollment.objects.filter(
            program=purchase.program, user_id__in=list(user_ids), source=Enrollment.Source.SEAT
        ).select_related("program")
    )


@transaction.atomic
def seat_purchase_add(*, purchase_id: int, payment) -> SeatTopUp:
    """Add a paid top-up's seats to the buyer's pool, once per payment ("buy more seats").
    The unique payment on SeatTopUp makes a repeat a no-op; the pool row is locked while it grows."""
    purchase = SeatPurchase.objects.select_for_update().get(pk=purchase_id)
    existing = SeatTopUp.objects.filter(payment=payment).first()
    if existing:
        return existing
    top_up = SeatTopUp.objects.create(purchase=purchase, payment=payment, quantity=payment.quantity)
    purchase.quantity += payment.quantity
    purchase.save(update_fields=["quantity"])
    return top_up


@transaction.atomic
def seat_top_up_revoke(*, payment) -> SeatTopUp | None:
    """A refunded top-up takes its seats out of the pool, but never below the seats already
    claimed: leaders who accepted keep their access, and the coach sees the refund in Stripe."""
    top_up = SeatTopUp.objects.select_for_update().filter(payment=payment, revoked_at__isnull=True).first()
    if top_up is None:
        return None
    purchase = SeatPurchase.objects.select_for_update().get(pk=top_up.purchase_id)
    claimed = purchase.invitations.filter(accepted_at__isnull=False).count()
    purchase.quantity = max(purchase.quantity - top_up.quantity, claimed, 1)
    purchase.save(update_fields=["quantity"])
    top_up.revoked_at = timezone.now()
    top_up.save(update_fields=["revoked_at"])
    return top_up
