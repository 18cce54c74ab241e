"""Demo payments: the leader's manual enrollment and a company buyer with 5 seats, 2 claimed.

Idempotent: every row is looked up by a fixed key first, so a second run changes nothing.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.demo import demo_password_hash
from accounts.models import User
from program.demo import get_program
from program.models import Enrollment
from program.services import enrollment_grant

from .models import Payment, SeatInvitation, SeatPriceTier, SeatPurchase
from .seats import INVITATION_DAYS, token_hash

SESSION_ID = "cs_demo_summitcrest_five_seats"
SEATS = 5
SEAT_LEADERS = [
    {"email": "ana@summitcrest.test", "full_name": "Ana Delgado", "job_title": "Sales Manager, North Division"},
    {"email": "jordan@summitcrest.test", "full_name": "Jordan Pike", "job_title": "Sales Manager, Lakeside Division"},
]
PENDING_INVITE = "casey@summitcrest.test"


def _seat_leader(data: dict, log) -> User:
    user, created = User.objects.get_or_create(
        email=data["email"],
        defaults={
            "full_name": data["full_name"],
            "job_title": data["job_title"],
            "company": "Summit Crest Builders",
            "time_zone": "America/Denver",
        },
    )
    if created:
        user.password = demo_password_hash()
        user.save()
        log(f"user {user.email}")
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def seed(*, log) -> None:
    program = get_program()
    leader = User.objects.filter(email="leader@huddle.test").first()
    buyer = User.objects.filter(email="buyer@huddle.test").first()
    if program is None or buyer is None:
        log("payments demo skipped: no program or buyer yet")
        return

    if leader and not Enrollment.objects.filter(user=leader, program=program).exists():
        enrollment_grant(user=leader, program=program, source=Enrollment.Source.MANUAL, reason="Demo leader (comped)")
        log("manual enrollment for leader@huddle.test")

    # Volume pricing the coach can edit under Snippets > Seat prices (shown on the offer page).
    for min_seats, share in ((5, Decimal("0.90")), (20, Decimal("0.80"))):
        _, made = SeatPriceTier.objects.get_or_create(
            program=program,
            min_seats=min_seats,
            defaults={"price_per_seat": (program.price * share).quantize(Decimal("1"))},
        )
        if made:
            log(f"seat price tier from {min_seats} seats")

    unit = int(program.price * 100)
    payment, created = Payment.objects.get_or_create(
        checkout_session_id=SESSION_ID,
        defaults={
            "payment_intent_id": "pi_demo_summitcrest",
            "user": buyer,
            "program": program,
            "quantity": SEATS,
            "amount": unit * SEATS,
            "currency": program.currency.lower(),
            "status": Payment.Status.PAID,
            "created_at": timezone.now() - timedelta(days=12),
            "fulfilled_at": timezone.now() - timedelta(days=12),
        },
    )
    purchase, _ = SeatPurchase.objects.get_or_create(
        payment=payment,
        defaults={"buyer": buyer, "program": program, "quantity": SEATS, "created_at": payment.created_at},
    )
    if created:
        log(f"company purchase: {SEATS} seats for {buyer.email}")

    for data in SEAT_LEADERS:
        seat_leader = _seat_leader(data, log)
        if purchase.invitations.filter(email=seat_leader.email).exists():
            continue
        accepted_at = timezone.now() - timedelta(days=10)
        SeatInvitation.objects.create(
            purchase=purchase,
            email=seat_leader.email,
            token_hash=token_hash(secrets.token_urlsafe(32)),  # the link was "used"; nobody needs it
            created_at=accepted_at - timedelta(days=1),
            expires_at=accepted_at + timedelta(days=INVITATION_DAYS),
            accepted_by=seat_leader,
            accepted_at=accepted_at,
        )
        enrollment_grant(
            user=seat_leader, program=program, source=Enrollment.Source.SEAT, reason=f"Seat from {buyer.email}"
        )
        log(f"seat claimed by {seat_leader.email}")

    if not purchase.invitations.filter(email=PENDING_INVITE).exists():
        SeatInvitation.objects.create(
            purchase=purchase,
            email=PENDING_INVITE,
            token_hash=token_hash(secrets.token_urlsafe(32)),
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        log(f"seat invitation pending for {PENDING_INVITE}")
