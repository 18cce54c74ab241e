"""Newsletter sending throughput: one issue to 10,000 confirmed subscribers, messages per second
handed to the email backend (target 500/s), through the production chain: the suppression list
(home.core.mail_suppression) in front of Django's SMTP backend talking to a local aiosmtpd server
(loopback, messages counted and dropped). A second row hands them to a backend that drops them,
which is our own cost per message (render, ledger stamp, suppression check) without SMTP.

run(ctx) -> rows. Works inside a transaction that is rolled back. `BENCH_NEWSLETTER_SUBSCRIBERS`
changes the size. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_newsletter as b; print(b.run({}))"
"""

import logging
import os
import socket
import time
import uuid

from django.db import transaction
from django.test import override_settings


class _CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Rollback(Exception):
    pass


def run(ctx) -> list[dict]:
    from aiosmtpd.controller import Controller

    from home.models import HomePage
    from home.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, NewsletterSubscriber
    from home.newsletter.sending import BATCH_SIZE, newsletter_issue_deliver

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
    size = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "10000"))
    handler = _CountingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    row = {"scenario": f"newsletter: 1 issue to {size:,} subscribers (SMTP, loopback)"}
    dummy_row = {"scenario": f"newsletter: 1 issue to {size:,} subscribers (no mail server: our cost)"}
    try:
        with transaction.atomic():
            tag = uuid.uuid4().hex[:8]
            index = NewsletterIndexPage.objects.first()
            if index is None:
                index = NewsletterIndexPage(title="Newsletter", slug=f"newsletter-{tag}")
                HomePage.objects.first().add_child(instance=index)
            issue = NewsletterIssuePage(
                title=f"Bench {tag}",
                slug=f"bench-{tag}",
                subject="Benchmark issue",
                preheader="Throughput",
                body=[("text", "<p>Hold the review every month, without fail. " * 20 + "</p>")],
            )
            index.add_child(instance=issue)
            NewsletterSubscriber.objects.bulk_create(
                [
                    NewsletterSubscriber(
                        email=f"bench-{tag}-{n}@bench.invalid", first_name="Bench", status="confirmed", source="bench"
                    )
                    for n in range(size)
                ],
                batch_size=2000,
            )
            # Only the bench subscribers are confirmed for this run (demo ones would be mailed too: harmless, counted).
            with override_settings(
                EMAIL_BACKEND="home.core.mail_suppression.SuppressingBackend",
                EMAIL_DELIVERY_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
            ):
                start = time.perf_counter()
                sent = newsletter_issue_deliver(issue_id=issue.pk)
                elapsed = time.perf_counter() - start
            row.update(
                {
                    "sent": sent,
                    "received": handler.count,
                    "seconds": round(elapsed, 1),
                    "emails_per_s": round(sent / elapsed, 1),
                    "target_per_s": 500,
                    "batch_size": BATCH_SIZE,
                }
            )
            # Same issue again to the same people, with no mail server: forget the deliveries first.
            issue.deliveries.all().delete()
            NewsletterIssuePage.objects.filter(pk=issue.pk).update(sent_at=None)
            with override_settings(
                EMAIL_BACKEND="home.core.mail_suppression.SuppressingBackend",
                EMAIL_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            ):
                start = time.perf_counter()
                sent_dummy = newsletter_issue_deliver(issue_id=issue.pk)
                elapsed_dummy = time.perf_counter() - start
            dummy_row.update(
                {
                    "sent": sent_dummy,
                    "seconds": round(elapsed_dummy, 1),
                    "emails_per_s": round(sent_dummy / elapsed_dummy, 1),
                    "target_per_s": 500,
                }
            )
            raise _Rollback
    except _Rollback:
        pass
    finally:
        controller.stop()
    return [row, dummy_row]
