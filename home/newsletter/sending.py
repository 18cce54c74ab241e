"""Sending newsletter issues: batches, one SMTP connection per batch, exactly once per subscriber.

Same claim protocol as webinar emails: a NewsletterDelivery(issue, subscriber) row is inserted
with this run's claim id BEFORE the message goes out; the unique constraint lets one run win
each row. Each row gets its `sent_at` right after its message is handed to the mail server, so
a crash re-sends at most the message in flight. The sender renews its claim while it works; rows
whose claimer stopped (no renewal within LEASE) are taken over by the next run, which waits for
them before it calls the issue sent. The scheduler resumes an interrupted send by itself
(`newsletter_due_issues_send`).
"""

import html
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Site

from home.core.mail import absolute_urls, one_click_unsubscribe_headers
from home.core.mail_suppression import suppressed_addresses

from .merge import IssueMerge
from .models import NewsletterDelivery, NewsletterIssuePage, NewsletterSettings, NewsletterSubscriber
from .tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token

LEASE = timedelta(seconds=60)
RENEW_SECONDS = 10
WAIT_SECONDS = 5  # between looks at rows another (perhaps dead) run still holds
BATCH_SIZE = 200
UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"
NAME_MARK = "%%FIRST_NAME%%"


def unsubscribe_url(subscriber_uuid) -> str:
    return settings.SITE_URL + reverse(
        "home:newsletter_unsubscribe", args=[make_token(subscriber_uuid, salt=UNSUBSCRIBE_SALT)]
    )


def confirmation_email(subscriber: NewsletterSubscriber) -> EmailMultiAlternatives:
    url = settings.SITE_URL + reverse("home:newsletter_confirm", args=[make_token(subscriber.uuid, salt=CONFIRM_SALT)])
    context = {"subscriber": subscriber, "confirm_url": url}
    message = EmailMultiAlternatives(
        subject="Please confirm your newsletter subscription",
        body=render_to_string("newsletter/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("newsletter/email/confirm.html", context), "text/html")
    return message


def postal_address() -> str:
    """The business's postal address from the default site's newsletter settings ("" if unset)."""
    site = Site.objects.filter(is_default_site=True).first()
    return NewsletterSettings.for_site(site).postal_address.strip() if site else ""


def list_id() -> str:
    """RFC 2919 List-Id, named after the site's host so filters and providers can group the list."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"Huddle newsletter <newsletter.{host}>"


class IssueRenderer:
    """Renders the issue once; each subscriber only gets their name and unsubscribe link swapped in.
    Every link and image is absolute (from SITE_URL) and the foot carries the postal address."""

    def __init__(self, issue: NewsletterIssuePage):
        self.issue = issue
        self.list_id = list_id()
        context = {
            "issue": issue,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "first_name": NAME_MARK,
            "site_url": settings.SITE_URL,
            "postal_address": postal_address(),
        }
        self.html = absolute_urls(render_to_string("newsletter/email/issue.html", context), settings.SITE_URL)
        plain = re.sub(r"\n\s*\n+", "\n\n", html.unescape(strip_tags(self.html.split("<hr", 1)[0]))).strip()
        self.text = render_to_string("newsletter/email/issue.txt", {**context, "body_text": plain})

    def build(self, email: str, name: str, url: str, connection=None) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.issue.subject,
            body=self.text.replace(UNSUBSCRIBE_MARK, url).replace(NAME_MARK, name),
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[email],
            connection=connection,
            headers=one_click_unsubscribe_headers(url, list_id=self.list_id),
        )
        html_part = self.html.replace(UNSUBSCRIBE_MARK, url).replace(NAME_MARK, html.escape(name))
        message.attach_alternative(html_part, "text/html")
        return message

    def message(self, *, email: str, first_name: str, subscriber_uuid, connection=None) -> EmailMultiAlternatives:
        return self.build(email, first_name or "there", unsubscribe_url(subscriber_uuid), connection)

    def merged(self) -> IssueMerge:
        """The same messages, built once and filled in per subscriber (see merge.py)."""
        return IssueMerge(self.build, name_mark=NAME_MARK, url_mark=UNSUBSCRIBE_MARK)


def newsletter_issue_send_test(*, issue: NewsletterIssuePage, email: str, first_name: str = "") -> None:
    """Send the issue to one address (the editor's), marked as a test; records nothing."""
    message = IssueRenderer(issue).message(email=email, first_name=first_name, subscriber_uuid=uuid.uuid4())
    message.subject = f"[Test] {issue.subject}"
    message.send()


def _claim_batch(issue_id: int, claim: uuid.UUID, now, batch_size: int) -> list[NewsletterDelivery]:
    delivered = NewsletterDelivery.objects.filter(issue_id=issue_id, subscriber_id=OuterRef("pk"))
    waiting = (
        NewsletterSubscriber.objects.filter(status=NewsletterSubscriber.Status.CONFIRMED)
        .filter(~Exists(delivered))
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    NewsletterDelivery.objects.bulk_create(
        [NewsletterDelivery(issue_id=issue_id, subscriber_id=pk, claim=claim, claimed_at=now) for pk in waiting],
        ignore_conflicts=True,
    )
    stale = Q(issue_id=issue_id, sent_at__isnull=True, claimed_at__lt=now - LEASE)
    stale_ids = list(NewsletterDelivery.objects.filter(stale).values_list("pk", flat=True)[:batch_size])
    if stale_ids:
        NewsletterDelivery.objects.filter(stale, pk__in=stale_ids).update(claim=claim, claimed_at=now)
    return list(
        NewsletterDelivery.objects.filter(claim=claim, sent_at__isnull=True)
        .select_related("subscriber")
        .only("pk", "subscriber__email", "subscriber__first_name", "subscriber__uuid", "subscriber__status")
    )


def _pending(issue_id: int) -> bool:
    return NewsletterDelivery.objects.filter(issue_id=issue_id, sent_at__isnull=True).exists()


def _no_wait() -> None:
    return None


class _Stamps:
    """`after(delivery_pk)` records one handed-over message as sent and returns `wait()`, which
    returns once that record is committed. Each is one single-row UPDATE committed on its own.

    On PostgreSQL outside a transaction, the UPDATEs run on a second connection in a helper thread,
    so the record of message N commits while message N+1's envelope goes to the mail server; the
    sender waits for it before N+1 is handed over (`before_handover`: before the final dot), so at
    any moment at most one handed-over message is unrecorded. These commits do not wait for the disk
    flush only when NEWSLETTER_DURABLE_STAMPS is False (synchronous_commit off, on that connection
    only): then a killed worker loses no record (the server has it), but a crash of the database
    server itself can forget the last fraction of a second of them (at most 3 x wal_writer_delay,
    0.6 s by default), whose messages are sent again. The default (True) flushes each one; the
    overlap with the next envelope hides most of the flush's cost (bench/README.md). Elsewhere (SQLite,
    inside a test's transaction) each UPDATE runs inline on the main connection."""

    def __init__(self):
        table = connection.ops.quote_name(NewsletterDelivery._meta.db_table)
        sent_at = connection.ops.quote_name(NewsletterDelivery._meta.get_field("sent_at").column)
        pk = connection.ops.quote_name(NewsletterDelivery._meta.pk.column)
        self.sql = f"UPDATE {table} SET {sent_at} = %s WHERE {pk} = %s"  # noqa: S608 (names from _meta, quoted)
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.quick = connection.vendor == "postgresql" and not settings.NEWSLETTER_DURABLE_STAMPS
        self.helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsletter-stamps")
        self.configured = False

    def _update(self, delivery_pk: int) -> None:
        with connection.cursor() as cursor:  # in the helper thread: its own connection
            if self.quick and not self.configured:
                cursor.execute("SET synchronous_commit TO off")
                self.configured = True
            cursor.execute(self.sql, [timezone.now(), delivery_pk])

    def after(self, delivery_pk: int):
        if self.threaded:
            return self.helper.submit(self._update, delivery_pk).result
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [timezone.now(), delivery_pk])
        return _no_wait

    def close(self) -> None:
        if self.threaded:
            self.helper.submit(lambda: connection.close()).result()  # the helper thread's own
        self.helper.shutdown()


@contextmanager
def _stamps():
    stamps = _Stamps()
    try:
        yield stamps
    finally:
        stamps.close()


def _send_batch(batch: list[NewsletterDelivery], claim: uuid.UUID, merge: IssueMerge, stamps: _Stamps) -> int:
    """Hand each message of a claimed batch to one mail connection; each is recorded as sent
    before the next one is handed over."""
    sent = 0
    renewed = time.monotonic()
    blocked = suppressed_addresses(d.subscriber.email for d in batch)  # one query for the batch
    mail = get_connection()
    gate = getattr(mail, "honours_before_handover", False)
    recorded = _no_wait  # the previous message's record: committed before this one is handed over
    try:
        with mail:
            for delivery in batch:
                subscriber = delivery.subscriber
                if subscriber.email.lower() in blocked:  # bounced or complained: off the list for good
                    from .services import newsletter_unsubscribe  # (services -> tasks -> this module)

                    newsletter_unsubscribe(subscriber=subscriber, source="suppressed by the email provider")
                    subscriber.status = NewsletterSubscriber.Status.UNSUBSCRIBED
                if subscriber.status != NewsletterSubscriber.Status.CONFIRMED:
                    NewsletterDelivery.objects.filter(pk=delivery.pk, claim=claim).delete()  # unsubscribed since
                    continue
                message = merge.message(
                    address=subscriber.email,
                    name=subscriber.first_name or "there",
                    url=unsubscribe_url(subscriber.uuid),
                    connection=mail,
                )
                message.suppression_checked = True
                if gate:
                    message.before_handover = recorded
                else:
                    recorded()
                message.send()
                recorded()
                recorded = stamps.after(delivery.pk)
                sent += 1
                if time.monotonic() - renewed > RENEW_SECONDS:
                    NewsletterDelivery.objects.filter(claim=claim, sent_at__isnull=True).update(
                        claimed_at=timezone.now()
                    )
                    renewed = time.monotonic()
    finally:
        recorded()
    return sent


def newsletter_issue_deliver(*, issue_id: int, batch_size: int = BATCH_SIZE, wait_seconds: float = WAIT_SECONDS) -> int:
    """Send the issue to every confirmed subscriber who has not had it, batch by batch, and mark
    the issue sent once nobody is left. Safe to run again after a crash or twice at once: each
    subscriber gets it once (a crash can repeat only the message in flight). Returns how many
    messages this run sent."""
    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    if issue.sent_at is not None:
        return 0  # finished: a late or repeated task must not mail those who joined since
    merge = IssueRenderer(issue).merged()
    total = 0
    with _stamps() as stamps:
        while True:
            claim = uuid.uuid4()
            batch = _claim_batch(issue_id, claim, timezone.now(), batch_size)
            if not batch:
                if not _pending(issue_id):
                    break
                time.sleep(wait_seconds)  # rows held by another run: sent soon, or ours after LEASE
                continue
            total += _send_batch(batch, claim, merge, stamps)
    NewsletterIssuePage.objects.filter(pk=issue_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return total


def newsletter_sends_due(*, now=None) -> list[int]:
    """Issues whose send was requested (now or for a time that has come), not finished, and that
    no run is working on (no claim within LEASE): the scheduler enqueues their send."""
    now = now or timezone.now()
    active = NewsletterDelivery.objects.filter(issue_id=OuterRef("pk"), claimed_at__gte=now - LEASE)
    return list(
        NewsletterIssuePage.objects.live()
        .filter(send_requested_at__lte=now, sent_at__isnull=True)
        .filter(~Exists(active))
        .values_list("pk", flat=True)
    )
