# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Races on real parallel PostgreSQL connections: duplicate webhooks and success page vs webhook."""

import threading

import pytest
from django.db import connection
from django.test import Client

from program.models import Enrollment, EnrollmentEvent
from program.payments.models import Payment, StripeEvent
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    fake_stripe,
    priced_program,
    signed_post,
    start_checkout,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")


def run_in_parallel(jobs: list) -> list:
    """Start every job at the same instant, each on its own thread (its own DB connection)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(index, job):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # report, don't hide
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def paid_session(client, fake_stripe, priced_program):
    leader = UserFactory()
    client.force_login(leader)
    session_id = start_checkout(client, priced_program)
    fake_stripe.pay(session_id)
    return leader, session_id


def test_the_same_event_twenty_times_in_parallel_gives_one_enrollment(fake_stripe, paid_session):
    leader, session_id = paid_session
    event = fake_stripe.session_event(session_id)

    results = run_in_parallel([lambda: signed_post(Client(), event).status_code for _ in range(20)])

    assert results == [200] * 20
    assert Enrollment.objects.filter(user=leader).count() == 1
    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1
    assert StripeEvent.objects.count() == 1


def test_twenty_different_events_for_one_session_in_parallel_fulfil_once(fake_stripe, paid_session):
    leader, session_id = paid_session
    events = [fake_stripe.session_event(session_id) for _ in range(20)]

    results = run_in_parallel([lambda e=e: signed_post(Client(), e).status_code for e in events])

    assert results == [200] * 20
    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1
    assert Payment.objects.get(checkout_session_id=session_id).status == Payment.Status.PAID


def test_success_page_and_webhook_racing_give_one_enrollment(fake_stripe, paid_session):
    leader, session_id = paid_session
    event = fake_stripe.session_event(session_id)

    def success_page():
        browser = Client()
        browser.force_login(leader)
        return browser.get(f"/checkout/success/?session_id={session_id}").status_code

    jobs = [success_page, lambda: signed_post(Client(), event).status_code] * 5
    results = run_in_parallel(jobs)

    assert results == [200] * 10
    assert Enrollment.objects.filter(user=leader).count() == 1
    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1


def test_buy_more_seats_delivered_twenty_times_in_parallel_adds_the_seats_once(client, fake_stripe, priced_program):
    from program.payments.models import SeatPurchase, SeatTopUp

    buyer = UserFactory()
    client.force_login(buyer)
    first = start_checkout(client, priced_program, quantity=3)
    fake_stripe.pay(first)
    assert signed_post(client, fake_stripe.session_event(first)).status_code == 200
    purchase = SeatPurchase.objects.get(buyer=buyer)
    assert client.post(f"/company/{purchase.pk}/more/", {"quantity": 4}).status_code == 302
    more = Payment.objects.latest("pk").checkout_session_id
    fake_stripe.pay(more)
    events = [fake_stripe.session_event(more) for _ in range(20)]

    results = run_in_parallel([lambda e=e: signed_post(Client(), e).status_code for e in events])

    assert results == [200] * 20
    purchase.refresh_from_db()
    assert purchase.quantity == 7 and SeatTopUp.objects.count() == 1
