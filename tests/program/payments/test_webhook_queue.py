# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""A Stripe webhook whose action needs Stripe's API while the API is unreachable: the event is
verified, stored and acknowledged (200), then acted on from the task queue with retries and backoff,
exactly once; when every retry fails it is shown to the coach, who retries it. Webhooks are signed
exactly as Stripe signs them; the stripe client talks to the local fake Stripe over HTTP, which
answers 500 (an outage), or is replaced by a closed port (connection refused)."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from home.runtime.selectors import failed_outbound_tasks
from home.runtime.services import failed_task_retry
from home.runtime.worker import ReliableWorker
from program.models import Enrollment, EnrollmentEvent
from program.payments.models import Payment, StripeEvent
from program.payments.tasks import ATTEMPTS
from tests.factories import CoachFactory, UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    fake_stripe,
    priced_program,
    sign,
    signed_post,
    start_checkout,
)

pytestmark = pytest.mark.django_db
COMPLETED = "checkout.session.completed"


@pytest.fixture(autouse=True)
def _queue(settings, monkeypatch):
    """The real database queue (the suite otherwise runs tasks at once), worked by our worker; the
    worker's close_old_connections() would drop the test's connection (see tests/home/runtime)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@pytest.fixture
def leader(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _event_tasks():
    return DBTaskResult.objects.filter(task_path="program.payments.tasks.stripe_event_process")


def _work_once() -> DBTaskResult:
    """The worker runs the one queued Stripe event task, as if its backoff had passed."""
    row = _event_tasks().get()
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    row.refresh_from_db()
    row.claim("w1")
    worker = ReliableWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w1", excluded_queue_names=[],
    )  # fmt: skip
    worker.run_task(row)
    row.refresh_from_db()
    return row


def _paid_session(client, fake_stripe, program) -> str:
    session_id = start_checkout(client, program)
    fake_stripe.pay(session_id)
    return session_id


def _count(kind: str, result: str) -> float:
    return REGISTRY.get_sample_value("huddle_stripe_webhooks_total", {"type": kind, "result": result}) or 0


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize("outage", ["answers-500", "connection-refused"])
def test_an_event_while_stripe_is_down_is_acknowledged_then_processed_once_after_a_retry(
    client, fake_stripe, priced_program, leader, settings, outage
):
    session_id = _paid_session(client, fake_stripe, priced_program)
    event = fake_stripe.session_event(session_id)
    retried, processed = _count(COMPLETED, "retried"), _count(COMPLETED, "processed")
    if outage == "answers-500":
        fake_stripe.down = True
    else:
        settings.STRIPE_API_BASE = _closed_port()

    response = signed_post(client, event)
    assert response.status_code == 200  # acknowledged: Stripe will not send it again
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.processed_at) == (event["id"], None)
    assert stored.details == {"session_id": session_id}  # ids only, no personal data

    row = _work_once()  # Stripe still away
    assert row.status == "READY" and row.run_after > timezone.now() + timedelta(seconds=20)  # backoff
    assert Payment.objects.get().status == Payment.Status.PENDING and not Enrollment.objects.exists()
    stored.refresh_from_db()
    assert stored.attempts == 1 and stored.last_error and stored.failed_at is None
    assert _count(COMPLETED, "retried") == retried + 1

    again = signed_post(client, event)  # Stripe re-delivers: nothing more is stored or queued
    assert again.status_code == 200 and again.content == b"Already received."
    assert StripeEvent.objects.count() == 1 and _event_tasks().count() == 1

    fake_stripe.down, settings.STRIPE_API_BASE = False, fake_stripe.base_url  # Stripe is back
    assert _work_once().status == "SUCCESSFUL"
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PAID
    assert EnrollmentEvent.objects.filter(enrollment__user=leader, action="granted").count() == 1
    stored.refresh_from_db()
    assert stored.processed_at is not None and stored.last_error == ""
    assert _count(COMPLETED, "processed") == processed + 1

    third = signed_post(client, event)  # a late re-delivery after processing
    assert third.content == b"Already processed." and _event_tasks().count() == 1
    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1


def test_an_event_that_fails_every_retry_is_shown_to_the_coach_who_retries_it_once(
    client, fake_stripe, priced_program, leader
):
    session_id = _paid_session(client, fake_stripe, priced_program)
    event = fake_stripe.session_event(session_id)
    failed = _count(COMPLETED, "failed")
    fake_stripe.down = True
    assert signed_post(client, event).status_code == 200
    for _ in range(ATTEMPTS):
        row = _work_once()
    assert row.status == "FAILED" and len(row.worker_ids) == ATTEMPTS
    stored = StripeEvent.objects.get()
    assert stored.failed_at is not None and stored.attempts == ATTEMPTS and not stored.processed_at
    assert _count(COMPLETED, "failed") == failed + 1
    assert [r.what for r in failed_outbound_tasks()] == ["Stripe event"]

    coach = CoachFactory()
    client.force_login(coach)
    page = client.get("/admin/background/failed/")
    assert page.status_code == 200 and b"Stripe event" in page.content

    fake_stripe.down = False
    assert failed_task_retry(task_id=str(row.pk)) == 1  # the coach's Retry button
    assert _work_once().status == "SUCCESSFUL"
    assert Payment.objects.get().status == Payment.Status.PAID
    stored.refresh_from_db()
    assert stored.processed_at and stored.failed_at is None
    assert failed_task_retry(task_id=str(row.pk)) == 0  # nothing left to retry
    assert EnrollmentEvent.objects.filter(enrollment__user=leader, action="granted").count() == 1


def test_a_stored_event_is_acted_on_once_even_if_its_task_runs_twice(client, fake_stripe, priced_program, leader):
    from program.payments.stripe_events import stripe_event_handle

    session_id = _paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))
    assert _work_once().status == "SUCCESSFUL"
    calls = len(fake_stripe.requests)
    assert stripe_event_handle(stripe_event_id=StripeEvent.objects.get().pk) is False
    assert len(fake_stripe.requests) == calls  # not even a Stripe call
    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1


def test_outcomes_are_counted_for_prometheus(client, fake_stripe, priced_program, leader):
    session_id = _paid_session(client, fake_stripe, priced_program)
    event = fake_stripe.session_event(session_id)
    before = {
        key: _count(*key)
        for key in [
            ("unknown", "bad_signature"),
            ("other", "ignored"),
            (COMPLETED, "duplicate"),
            ("unknown", "refused"),
        ]
    }
    payload = json.dumps(event)
    bad = client.post(
        "/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload, "whsec_no")
    )
    assert bad.status_code == 400
    assert signed_post(client, fake_stripe.event("customer.created", {"id": "cus_x"})).content == b"Ignored."
    odd = fake_stripe.event(COMPLETED, {"id": "not-a-session"})
    assert signed_post(client, odd).status_code == 400
    signed_post(client, event)
    signed_post(client, event)
    assert _count("unknown", "bad_signature") == before[("unknown", "bad_signature")] + 1
    assert _count("other", "ignored") == before[("other", "ignored")] + 1
    assert _count("unknown", "refused") == before[("unknown", "refused")] + 1
    assert _count(COMPLETED, "duplicate") == before[(COMPLETED, "duplicate")] + 1
    assert StripeEvent.objects.count() == 1


def test_the_counter_is_served_at_metrics(client, fake_stripe, settings):
    settings.METRICS_TOKEN = "t" * 40
    signed_post(client, fake_stripe.event("customer.created", {"id": "cus_x"}))
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "t" * 40).content.decode()
    assert 'huddle_stripe_webhooks_total{result="ignored",type="other"}' in text
