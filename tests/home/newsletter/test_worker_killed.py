"""A real worker process killed with SIGKILL in the middle of a newsletter send (PostgreSQL, an
SMTP server in this process that sees every message the workers hand over): after a second worker
starts, every subscriber has the issue exactly once, except at most the one message in flight."""

import signal
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.newsletter.models import NewsletterDelivery, NewsletterIssuePage, NewsletterSubscriber
from home.newsletter.tasks import newsletter_issue_send
from home.runtime.models import Heartbeat
from tests.conftest import ensure_wagtail_roots
from tests.home.newsletter.test_newsletter import issue_page
from tests.home.runtime.processes import SmtpSink, database_url_of, start_worker, worker_env

SUBSCRIBERS = 300
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _home_page():
    from wagtail.models import Site

    from home.models import HomePage

    root = ensure_wagtail_roots()
    home = HomePage(title="Huddle", slug="home-killed")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    return home


def test_sigkill_mid_send_then_a_new_worker_finishes_with_no_repeats(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker runs in another process")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    issue = issue_page(_home_page())
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(email=f"r{i:03}@example.com", status="confirmed", source="t") for i in range(SUBSCRIBERS)
    )
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_requested_at=timezone.now())
    newsletter_issue_send.enqueue(issue_id=issue.pk)

    with SmtpSink() as sink:
        env = worker_env(database_url_of(connection), sink.port)
        first = start_worker(env, tmp_path / "worker1.log")
        try:
            _wait_for(lambda: sink.total >= SUBSCRIBERS * 0.4, 40, "40% of the issue to be handed over")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        at_kill = sink.total
        stamped = NewsletterDelivery.objects.filter(sent_at__isnull=False).count()
        assert at_kill < SUBSCRIBERS, "the send finished before the kill: nothing was tested"
        assert stamped >= at_kill - 1  # each message is recorded right after it is handed over
        assert NewsletterIssuePage.objects.get(pk=issue.pk).sent_at is None

        # Let the leases run out (30 s for the worker, 60 s for the claimed rows) without waiting:
        # the dead worker's heartbeat, its RUNNING task and its claims are dated an hour back.
        an_hour_ago = timezone.now() - timedelta(hours=1)
        Heartbeat.objects.update(last_seen=an_hour_ago)
        assert DBTaskResult.objects.filter(status="RUNNING").update(started_at=an_hour_ago) == 1
        NewsletterDelivery.objects.filter(sent_at__isnull=True).update(claimed_at=an_hour_ago)

        second = start_worker(env, tmp_path / "worker2.log")
        try:
            _wait_for(
                lambda: NewsletterIssuePage.objects.filter(pk=issue.pk, sent_at__isnull=False).exists(),
                40,
                "the second worker to finish the issue",
            )
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(15)
        time.sleep(0.2)  # the sink's last DATA reply

    copies = sink.received
    assert len(copies) == SUBSCRIBERS, "somebody got nothing"
    twice = [email for email, n in copies.items() if n > 1]
    assert len(twice) <= 1, twice  # at most the message in flight when the worker died
    assert max(copies.values()) <= 2
    assert NewsletterDelivery.objects.filter(sent_at__isnull=False).count() == SUBSCRIBERS
    sends = DBTaskResult.objects.filter(task_path="home.newsletter.tasks.newsletter_issue_send")
    assert list(sends.values_list("status", flat=True)) == ["SUCCESSFUL"]  # the same task, re-queued and finished
