"""The funnel read in three queries (a UNION ALL of every purchase and seat, the newsletter
confirmation as a subquery of the registrations) gives the same numbers, names, conversions,
payments and revenue as the old query per table (`funnel_reference.py`), on varied random data."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.newsletter.models import NewsletterSubscriber
from lessons.reports.funnel import funnel_report, funnel_webinars
from program.models import Enrollment
from program.payments.models import Payment
from program.webinars.models import WebinarRegistration
from tests.factories import UserFactory
from tests.lessons import funnel_reference
from tests.lessons.factories import make_program
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db
Status = WebinarRegistration.Status


def _world(home_page, seed: int) -> list[int]:
    rnd = random.Random(seed)
    now = timezone.now()
    programs = [make_program(home_page, slug=f"program-{i}") for i in range(2)]
    pages = [
        webinar(
            home_page,
            title=f"Webinar {i}",
            sessions=[{"starts_at": now - timedelta(days=rnd.randint(-20, 400))} for _ in range(rnd.randint(1, 3))],
        )
        for i in range(3)
    ]
    sessions = [s for page in pages for s in page.sessions.all()]
    users = [UserFactory(email=f"P{i}@Example.com" if i % 3 == 0 else f"p{i}@example.com") for i in range(24)]
    for i, user in enumerate(users):
        email = user.email.lower() if rnd.random() < 0.8 else f"other{i}@example.com"
        for session in rnd.sample(sessions, rnd.randint(0, 3)):
            WebinarRegistration.objects.create(
                session=session,
                email=email,
                name=f"Person {i}",
                user=user if rnd.random() < 0.6 else None,
                status=rnd.choice([Status.REGISTERED, Status.REGISTERED, Status.WAITLISTED, Status.CANCELLED]),
                created_at=session.starts_at - timedelta(days=rnd.randint(0, 20)),
                attended_at=session.starts_at if rnd.random() < 0.5 else None,
                attended_minutes=rnd.choice([None, 30, 60]),
            )
        for program in programs:
            if rnd.random() < 0.5:
                Enrollment.objects.create(
                    user=user,
                    program=program,
                    source=rnd.choice(list(Enrollment.Source)),
                    enrolled_at=now - timedelta(days=rnd.randint(0, 420)),
                )
        for k in range(rnd.randint(0, 3)):
            amount = rnd.choice([10_000, 49_700])
            Payment.objects.create(
                checkout_session_id=f"cs_{seed}_{i}_{k}",
                user=user,
                program=rnd.choice(programs),
                quantity=rnd.choice([1, 1, 5]),
                amount=amount,
                amount_refunded=rnd.choice([0, 0, amount // 2]),
                currency=rnd.choice(["usd", "usd", "eur"]),
                status=rnd.choice(list(Payment.Status)),
                created_at=now - timedelta(days=rnd.randint(0, 420)),
            )
        if rnd.random() < 0.6:
            NewsletterSubscriber.objects.create(
                email=user.email if rnd.random() < 0.5 else user.email.lower(),
                status="confirmed",
                source="home",
                confirmed_at=None if rnd.random() < 0.2 else now - timedelta(days=rnd.randint(0, 500)),
            )
    return [page.pk for page in pages]


def _person(p) -> tuple:
    payments = sorted((x.payment_id, x.net, x.currency, x.paid_at) for x in p.payments)
    return (
        p.email, p.name, p.webinar_id, p.session_starts_at, p.registered_at, p.seated, p.attended,
        p.attended_minutes, p.subscribed_at, p.converted_at, p.converted_how, tuple(payments), p.via_webinar,
    )  # fmt: skip


def _seen(report) -> dict:
    return {
        "rows": [
            (row.key, row.title, row.counts, row.revenue, {k: sorted(map(_person, v)) for k, v in row.people.items()})
            for row in report.rows
        ],
        "people": sorted(map(_person, report.people)),
        "by_month": report.by_month,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_combined_query_gives_the_old_numbers(home_page, seed):
    webinar_ids = _world(home_page, seed)
    today = timezone.localdate()
    shown = set()
    for start, end in ((today - timedelta(days=365), today), (today - timedelta(days=120), today + timedelta(days=30))):
        for webinar_id in (None, *webinar_ids):
            new = funnel_report(start=start, end=end, webinar_id=webinar_id)
            old = funnel_reference.funnel_report(start=start, end=end, webinar_id=webinar_id)
            assert _seen(new) == _seen(old), (seed, start, webinar_id)
            shown |= {stage for row in new.rows for stage, n in row.counts.items() if n}
    # The data reaches every stage (else the comparison would prove little).
    assert shown >= {"attended", "enrolled_90", "paid", "subscriber", "subscriber_enrolled", "subscriber_direct"}, shown


def test_the_funnel_reads_three_queries(home_page):
    _world(home_page, 4)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        report = funnel_report(start=today - timedelta(days=365), end=today)
    assert len(queries) == 3 and report.total.count("registered") > 0
    webinars = funnel_webinars()
    with CaptureQueriesContext(connection) as queries:
        funnel_report(start=today - timedelta(days=365), end=today, webinar_id=webinars[0]["id"], webinars=webinars)
    assert len(queries) == 2
