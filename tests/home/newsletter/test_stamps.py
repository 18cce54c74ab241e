"""Each message is recorded as sent before the next one is handed over, also when the records
commit on a helper connection while the next envelope goes out (PostgreSQL, pipelined SMTP):
whenever the mail server takes message k, at least k-1 records are committed. Those records skip
the disk flush on their own connection only."""

import contextlib

import psycopg
import pytest
from django.db import connection

from home.newsletter import sending
from home.newsletter.models import NewsletterDelivery, NewsletterSubscriber
from tests.home.newsletter.test_newsletter import issue_page
from tests.home.newsletter.test_worker_killed import _home_page
from tests.home.runtime.processes import database_url_of, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SUBSCRIBERS = 30


class _Sink:
    """An SMTP server offering PIPELINING that notes, as it takes each message, how many records
    are committed."""

    def __init__(self, recorded):
        self.recorded, self.seen = recorded, []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.seen.append(self.recorded())
        return "250 OK"


@contextlib.contextmanager
def pipelining_sink(settings, recorded):
    from aiosmtpd.controller import Controller

    sink = _Sink(recorded)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "home.core.mail_suppression.SuppressingBackend"
    settings.EMAIL_DELIVERY_BACKEND = "home.core.mail_smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


@pytest.mark.parametrize(("durable", "flush"), [(True, "on"), (False, "off")])
def test_each_message_is_recorded_before_the_next_is_handed_over(settings, monkeypatch, durable, flush):
    if connection.vendor != "postgresql":
        pytest.skip("the helper connection is PostgreSQL's")
    settings.NEWSLETTER_DURABLE_STAMPS = durable  # the default flushes each stamp; False skips the flush
    issue = issue_page(_home_page())
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(email=f"s{i:02}@example.com", status="confirmed", source="t") for i in range(SUBSCRIBERS)
    )
    flushes = []
    original = sending._Stamps._update

    def update(self, delivery_pk):
        original(self, delivery_pk)
        with connection.cursor() as cursor:  # the helper thread's connection
            cursor.execute("SHOW synchronous_commit")
            flushes.append(cursor.fetchone()[0])

    monkeypatch.setattr(sending._Stamps, "_update", update)
    with psycopg.connect(database_url_of(connection).replace("postgres://", "postgresql://"), autocommit=True) as db:

        def recorded() -> int:
            query = f"SELECT count(*) FROM {NewsletterDelivery._meta.db_table} WHERE sent_at IS NOT NULL"  # noqa: S608
            return db.execute(query).fetchone()[0]

        with pipelining_sink(settings, recorded) as sink:
            assert sending.newsletter_issue_deliver(issue_id=issue.pk) == SUBSCRIBERS
    assert len(sink.seen) == SUBSCRIBERS
    assert all(committed >= k - 1 for k, committed in enumerate(sink.seen)), sink.seen
    assert NewsletterDelivery.objects.filter(sent_at__isnull=False).count() == SUBSCRIBERS
    assert set(flushes) == {flush}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the main connection kept its flushes
