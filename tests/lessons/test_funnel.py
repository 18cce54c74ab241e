"""The coach's webinar funnel against a seeded history: the numbers, the names behind them, the
CSV, the charts, who may see it, and a fixed number of queries as data grows."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.newsletter.models import NewsletterSubscriber
from lessons.reports.funnel import funnel_report
from program.models import Enrollment
from program.payments.models import Payment
from program.webinars.models import WebinarRegistration
from tests.factories import StaffFactory, UserFactory
from tests.lessons.factories import make_program
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db
URL = "/coach/funnel/"
Status = WebinarRegistration.Status


def _register(session, *, email, name, status=Status.REGISTERED, attended=False, minutes=None, user=None, at=None):
    return WebinarRegistration.objects.create(
        session=session,
        email=email.lower(),
        name=name,
        company="Stonegate Homes",
        user=user,
        status=status,
        created_at=at or session.starts_at - timedelta(days=5),
        attended_at=session.starts_at + timedelta(minutes=5) if attended else None,
        attended_minutes=minutes,
    )


@pytest.fixture
def history(home_page):
    """One webinar 100 days ago and one 20 days ago; conversions 10, 45 and 80 days later."""
    now = timezone.now()
    program = make_program(home_page, slug="program")
    first_at = now - timedelta(days=100)
    five = webinar(home_page, title="Five strategies", sessions=[{"starts_at": first_at}])
    s1 = five.sessions.get()
    other = webinar(home_page, title="Quotas that land", sessions=[{"starts_at": now - timedelta(days=20)}])
    s2 = other.sessions.get()
    old = webinar(home_page, title="Long ago", sessions=[{"starts_at": now - timedelta(days=900)}])

    alice = UserFactory(email="alice@example.com", full_name="Alice Ames")
    bob = UserFactory(email="Bob@Example.com", full_name="Bob Brand")  # matched by email, any case
    dan = UserFactory(email="dan@example.com")
    eve = UserFactory(email="eve@example.com")
    frank = UserFactory(email="frank@example.com")
    _register(s1, email="alice@example.com", name="Alice Ames", attended=True, minutes=55, user=alice)
    _register(s2, email="alice@example.com", name="Alice Ames", attended=True, minutes=60, user=alice)
    _register(s1, email="bob@example.com", name="Bob Brand")
    _register(s1, email="cara@example.com", name='=HYPERLINK("http://evil")', status=Status.WAITLISTED)
    _register(s1, email="dan@example.com", name="Dan Dorn", attended=True, user=dan)
    _register(s1, email="eve@example.com", name="Eve Evans", attended=True, user=eve)
    _register(s1, email="frank@example.com", name="Frank Fox", attended=True, user=frank)
    _register(s1, email="gone@example.com", name="Gone Gail", status=Status.CANCELLED)
    _register(old.sessions.get(), email="zed@example.com", name="Zed Old", attended=True)

    def enrolled(user, days, source):
        Enrollment.objects.create(
            user=user, program=program, source=source, enrolled_at=first_at + timedelta(days=days)
        )

    enrolled(alice, 10, Enrollment.Source.STRIPE)
    enrolled(bob, 45, Enrollment.Source.SEAT)
    enrolled(dan, 5, Enrollment.Source.MANUAL)  # the coach's grant: not a conversion
    enrolled(eve, -30, Enrollment.Source.STRIPE)  # bought before registering: not a conversion
    Payment.objects.create(
        checkout_session_id="cs_alice",
        user=alice,
        program=program,
        amount=49_700,
        status=Payment.Status.PAID,
        created_at=first_at + timedelta(days=10),
    )
    Payment.objects.create(
        checkout_session_id="cs_frank",
        user=frank,
        program=program,
        quantity=5,
        amount=200_000,
        amount_refunded=50_000,
        status=Payment.Status.REFUNDED,
        created_at=first_at + timedelta(days=80),
    )
    Payment.objects.create(
        checkout_session_id="cs_frank_late",
        user=frank,
        program=program,
        amount=10_000,
        status=Payment.Status.PAID,
        created_at=first_at + timedelta(days=95),
    )
    NewsletterSubscriber.objects.create(
        email="alice@example.com", status="confirmed", source="home", confirmed_at=first_at - timedelta(days=60)
    )
    NewsletterSubscriber.objects.create(
        email="bob@example.com", status="confirmed", source="home", confirmed_at=first_at + timedelta(days=1)
    )  # after registering
    return {"five": five, "other": other, "first_at": first_at, "now": now}


def _period(history):
    return {"start": (history["now"] - timedelta(days=120)).date(), "end": history["now"].date()}


def test_funnel_numbers_against_the_seeded_history(history):
    report = funnel_report(**_period(history))
    five = report.row(str(history["five"].pk))
    assert five.counts == {
        "registered": 6,  # the cancelled registration is not counted
        "seated": 5,
        "waitlisted": 1,
        "attended": 4,
        "enrolled_30": 1,  # Alice at 10 days
        "enrolled_60": 2,  # + Bob's company seat at 45 days
        "enrolled_90": 3,  # + Frank's seats at 80 days; Dan (manual) and Eve (before) are not counted
        "paid": 2,
        "subscriber": 1,  # Bob subscribed after registering
        "subscriber_enrolled": 1,
        "subscriber_direct": 0,  # only in "All webinars"
    }
    assert five.revenue == {"usd": 49_700 + 150_000}  # refund off; the payment on day 95 is too late
    assert [p.name for p in five.people["enrolled_60"]] == ["Alice Ames", "Bob Brand"]
    total = report.total
    assert total.count("registered") == 6 and total.count("attended") == 4  # Alice once, not twice
    assert total.revenue == five.revenue  # Alice's one payment counted once across two webinars
    assert [r.title for r in report.rows] == ["Five strategies", "Quotas that land", "All webinars"]
    only_other = funnel_report(**_period(history), webinar_id=history["other"].pk)
    assert only_other.total.count("registered") == 1


def test_coach_sees_the_names_behind_a_number_and_the_charts(client, history):
    client.force_login(StaffFactory())
    response = client.get(URL, {**_period(history), "show": "enrolled_60", "row": str(history["five"].pk)})
    assert response.status_code == 200
    html = response.content.decode()
    people = html[html.index('id="people"') :]
    assert "Alice Ames" in people and "Bob Brand" in people and "Frank Fox" not in people
    assert "Company seat" in people and "497.00 USD" in people
    main = html.split("<main", 1)[1].split("</main>")[0]
    assert main.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2 and "Registered: 6" in main
    assert "<script" not in main


def test_csv_is_formula_safe_and_names_the_time_zone(client, history):
    coach = StaffFactory(time_zone="Europe/London")
    client.force_login(coach)
    response = client.get(URL, {**_period(history), "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == "Session (Europe/London)"
    names = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names and '=HYPERLINK("http://evil")' not in names
    frank = next(row for row in rows if row[2] == "Frank Fox")
    assert frank[11] == "Bought seats" and frank[12] == "80" and frank[13] == "1,500.00 USD"
    only = client.get(URL, {**_period(history), "format": "csv", "show": "waitlisted", "row": "all"})
    assert len(list(csv.reader(io.StringIO(only.content.decode())))) == 2


def test_a_leader_and_a_visitor_cannot_see_it(client, history):
    assert client.get(URL).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv"}).status_code == 404


def test_bad_input_is_mended_not_a_500(client, history):
    client.force_login(StaffFactory())
    for params in (
        {"start": "yesterday", "end": "2026-02-31", "webinar": "x", "show": "nope", "row": "nope"},
        {"start": "2030-01-01", "end": "1990-01-01"},  # backwards and over-long
        {"webinar": "999999", "show": "attended", "row": "999"},
    ):
        assert client.get(URL, params).status_code == 200


def _grow(session, n):
    for i in range(n):
        user = UserFactory()
        _register(session, email=f"grow{session.pk}-{i}@example.com", name=f"Grow {i}", attended=i % 2 == 0, user=user)


def test_query_count_does_not_grow_with_the_data(client, history, django_assert_max_num_queries):
    client.force_login(StaffFactory())
    session = history["five"].sessions.get()
    params = {**_period(history), "show": "registered", "row": "all"}
    client.get(URL, params)  # warm the site's caches (settings, menus), as every later visit finds them
    counts = []
    for extra in (0, 40):
        _grow(session, extra)
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- newsletter subscribers who bought or got a seat without a webinar ---------------------


def _direct_subscriber(program, *, email, name, confirmed_days_ago, bought_days_ago, source=None, status="confirmed"):
    from program.models import Enrollment as E

    now = timezone.now()
    user = UserFactory(email=email, full_name=name)
    NewsletterSubscriber.objects.create(
        email=email.upper() if "gina" in email else email,  # matched in any case
        status=status,
        source="home",
        confirmed_at=None if status == "pending" else now - timedelta(days=confirmed_days_ago),
    )
    at = now - timedelta(days=bought_days_ago)
    E.objects.create(user=user, program=program, source=source or E.Source.STRIPE, enrolled_at=at)
    if (source or E.Source.STRIPE) == E.Source.STRIPE:
        Payment.objects.create(
            checkout_session_id=f"cs_{email}", user=user, program=program, amount=49_700,
            status=Payment.Status.PAID, created_at=at,
        )  # fmt: skip
    return user


@pytest.fixture
def direct(history):
    from program.models import ProgramPage

    program = ProgramPage.objects.get(slug="program")
    _direct_subscriber(program, email="gina@example.com", name="Gina Gold", confirmed_days_ago=200, bought_days_ago=30)
    _direct_subscriber(program, email="hank@example.com", name="Hank Hale", confirmed_days_ago=10, bought_days_ago=30)
    _direct_subscriber(program, email="ivy@example.com", name="Ivy Ito", confirmed_days_ago=0, bought_days_ago=30,
                       status="pending")  # fmt: skip
    _direct_subscriber(program, email="jo@example.com", name="Jo Jain", confirmed_days_ago=200, bought_days_ago=30,
                       source=Enrollment.Source.MANUAL)  # fmt: skip
    _direct_subscriber(program, email="kim@example.com", name="Kim Kerr", confirmed_days_ago=400, bought_days_ago=300)
    return program


def test_subscribers_who_bought_without_a_webinar_are_counted_by_name(direct, history):
    report = funnel_report(**_period(history))
    total = report.total
    # Gina only: Hank subscribed after buying, Ivy never confirmed, Jo was the coach's grant, Kim
    # bought before the range; Alice (a subscriber who bought) came through a webinar.
    assert [p.name for p in total.people["subscriber_direct"]] == ["Gina Gold"]
    gina = total.people["subscriber_direct"][0]
    assert (gina.email, gina.converted_how, gina.via_webinar) == ("gina@example.com", "Bought", False)
    assert [p.display for p in gina.payments] == ["497.00 USD"]
    assert total.revenue == {"usd": 49_700 + 150_000}  # the webinars' revenue only
    assert total.count("registered") == 6 and total.count("subscriber_enrolled") == 1  # Alice, via a webinar
    assert report.row(str(history["five"].pk)).count("subscriber_direct") == 0
    assert funnel_report(**_period(history), webinar_id=history["five"].pk).total.count("subscriber_direct") == 0


def test_the_names_and_the_csv_include_subscribers_without_a_webinar(client, direct, history):
    client.force_login(StaffFactory())
    params = {**_period(history), "show": "subscriber_direct", "row": "all"}
    html = client.get(URL, params).content.decode()
    assert "Gina Gold" in html and "No webinar in this period" in html and "Hank Hale" not in html
    rows = list(csv.reader(io.StringIO(client.get(URL, {**params, "format": "csv"}).content.decode())))
    assert [(r[0], r[2], r[3], r[11]) for r in rows[1:]] == [
        ("(no webinar: newsletter subscriber)", "Gina Gold", "gina@example.com", "Bought")
    ]
    everyone = list(csv.reader(io.StringIO(client.get(URL, {**_period(history), "format": "csv"}).content.decode())))
    assert "gina@example.com" in [r[3] for r in everyone] and "hank@example.com" not in [r[3] for r in everyone]


def test_query_count_stays_fixed_with_more_subscribers_who_bought(
    client, direct, history, django_assert_max_num_queries
):
    client.force_login(StaffFactory())
    params = {**_period(history), "show": "subscriber_direct", "row": "all"}
    client.get(URL, params)  # warm the site's caches
    counts = []
    for extra in (0, 30):
        for i in range(extra):
            _direct_subscriber(direct, email=f"sub{i}@example.com", name=f"Sub {i}", confirmed_days_ago=100,
                               bought_days_ago=5)  # fmt: skip
        _grow(history["five"].sessions.get(), extra)
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200 and response.content.decode().count("No webinar in this period") == 1 + extra
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
