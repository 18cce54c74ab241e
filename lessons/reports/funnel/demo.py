"""Demo funnel: after the past webinar, one attendee buys the program and a newsletter reader buys
without a webinar, so /coach/funnel/ shows enrolments, names and revenue.

Runs after the payments, webinars and newsletter demos (see seed_demo). Idempotent: each row is
looked up by a fixed key first, so a second run changes nothing.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.demo import demo_password_hash
from accounts.models import User
from home.newsletter.models import NewsletterSubscriber
from program.demo import get_program
from program.models import Enrollment
from program.payments.models import Payment
from program.services import enrollment_grant
from program.webinars.models import WebinarRegistration, WebinarSession

PAST_WEBINAR_SLUG = "monthly-one-on-one"
ATTENDEE = {"email": "riley@lakesidehomes.test", "full_name": "Riley Chen", "company": "Lakeside Homes"}
READER = {"email": "priya@ridgelinebuilders.test", "full_name": "Priya Nair", "company": "Ridgeline Builders"}


def _user(data: dict, log) -> User:
    user, created = User.objects.get_or_create(
        email=data["email"],
        defaults={"full_name": data["full_name"], "company": data["company"], "job_title": "Sales Manager"},
    )
    if created:
        user.password = demo_password_hash()
        user.save()
        log(f"funnel: user {user.email}")
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def _purchase(user: User, program, *, at, session_id: str, log) -> None:
    """A paid single-seat checkout and the enrollment it gave, both dated `at`."""
    _, created = Payment.objects.get_or_create(
        checkout_session_id=session_id,
        defaults={
            "payment_intent_id": session_id.replace("cs_", "pi_"),
            "user": user,
            "program": program,
            "quantity": 1,
            "amount": int(program.price * 100),
            "currency": program.currency.lower(),
            "status": Payment.Status.PAID,
            "created_at": at,
            "fulfilled_at": at,
        },
    )
    if not Enrollment.objects.filter(user=user, program=program).exists():
        enrollment_grant(user=user, program=program, source=Enrollment.Source.STRIPE, reason=f"Checkout {session_id}")
        Enrollment.objects.filter(user=user, program=program).update(enrolled_at=at)
    if created:
        log(f"funnel: {user.email} bought {program.title}")


def seed(*, log) -> None:
    program = get_program()
    session = WebinarSession.objects.filter(page__slug=PAST_WEBINAR_SLUG).order_by("starts_at").first()
    if program is None or session is None or not program.price:
        log("funnel demo skipped: no program or past webinar yet")
        return

    # Riley registered a week ahead, stayed the whole session and bought six days later.
    riley = _user(ATTENDEE, log)
    WebinarRegistration.objects.get_or_create(
        session=session,
        email=riley.email,
        defaults={
            "user": riley,
            "name": riley.full_name,
            "company": ATTENDEE["company"],
            "role": "Sales Manager",
            "team_size": "6-10",
            "status": WebinarRegistration.Status.REGISTERED,
            "created_at": session.starts_at - timedelta(days=7),
            "seated_at": session.starts_at - timedelta(days=7),
            "attended_at": session.starts_at + timedelta(minutes=1),
            "attended_minutes": session.duration_minutes,
        },
    )
    _purchase(riley, program, at=session.starts_at + timedelta(days=6), session_id="cs_demo_funnel_riley", log=log)

    # Priya has read the newsletter for two months and bought last week without a webinar.
    priya = _user(READER, log)
    now = timezone.now()
    NewsletterSubscriber.objects.get_or_create(
        email=priya.email,
        defaults={
            "first_name": "Priya",
            "status": NewsletterSubscriber.Status.CONFIRMED,
            "source": "home page",
            "created_at": now - timedelta(days=61),
            "confirmed_at": now - timedelta(days=60),
        },
    )
    _purchase(priya, program, at=now - timedelta(days=7), session_id="cs_demo_funnel_priya", log=log)
