"""Newsletter sending throughput: one issue to N confirmed subscribers (default 3,000), messages
per second handed over, through the production chain: the suppression list
(home.core.mail_suppression) in front of Django's SMTP backend, talking over loopback to a local
SMTP server in its own process (aiosmtpd; messages counted and dropped, PIPELINING offered as
Postfix offers it), as a local MTA would be. home.core.mail_smtp pipelines MAIL/RCPT/DATA.

Rows: the default (pipelined SMTP, each send stamped by its own flushed commit), Django's own SMTP
backend (no pipelining), the same with stamps not waiting for the disk flush
(NEWSLETTER_DURABLE_STAMPS=False), and a backend that
drops the messages (our own cost: claim, merge, stamp, suppression check). Each row also gives the
sender's CPU time (time.process_time) and the machine's load average, since the machine is shared.

The subscribers and the issue are committed (so every stamp is a real commit, as in production)
and deleted afterwards. `BENCH_NEWSLETTER_SUBSCRIBERS` changes the size. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_newsletter as b; print(b.run({}))"
"""

import logging
import multiprocessing
import os
import socket
import time
import uuid

from django.test import override_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sink(port: int, count, ready) -> None:
    """The local SMTP server (another process): counts each message it accepts."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            with count.get_lock():
                count.value += 1
            return "250 OK"

        async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
            session.host_name = hostname
            return [*responses[:-1], "250-PIPELINING", responses[-1]]  # as Postfix does

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    asyncio.run(asyncio.sleep(3600))


def _deliver(issue_id: int, **mail_settings) -> dict:
    from home.newsletter.models import NewsletterDelivery, NewsletterIssuePage
    from home.newsletter.sending import newsletter_issue_deliver

    NewsletterDelivery.objects.filter(issue_id=issue_id).delete()
    NewsletterIssuePage.objects.filter(pk=issue_id).update(sent_at=None)
    with override_settings(EMAIL_BACKEND="home.core.mail_suppression.SuppressingBackend", **mail_settings):
        cpu, start = time.process_time(), time.perf_counter()
        sent = newsletter_issue_deliver(issue_id=issue_id)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "sent": sent,
        "seconds": round(elapsed, 2),
        "emails_per_s": round(sent / elapsed, 1),
        "target_per_s": 500,
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_email": round(1000 * cpu / max(sent, 1), 3),
        "load_1min": round(os.getloadavg()[0], 1),
    }


def run(ctx) -> list[dict]:
    from home.models import HomePage
    from home.newsletter.models import NewsletterIndexPage, NewsletterIssuePage, NewsletterSubscriber

    size = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "3000"))
    spawn = multiprocessing.get_context("spawn")
    count, ready = spawn.Value("i", 0), spawn.Event()
    port = _free_port()
    sink = spawn.Process(target=_sink, args=(port, count, ready), daemon=True)
    sink.start()
    ready.wait(30)
    tag = uuid.uuid4().hex[:8]
    made_index, issue = None, None
    try:
        index = NewsletterIndexPage.objects.first()
        if index is None:
            made_index = index = NewsletterIndexPage(title="Newsletter", slug=f"newsletter-{tag}")
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
        smtp = {
            "EMAIL_DELIVERY_BACKEND": "home.core.mail_smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
        name = f"newsletter: 1 issue to {size:,} subscribers"
        rows = [{"scenario": f"{name} (SMTP, loopback, own process)", **_deliver(issue.pk, **smtp)}]
        rows[0]["received"] = count.value
        django_smtp = {**smtp, "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
        rows.append({"scenario": f"{name} (SMTP without pipelining)", **_deliver(issue.pk, **django_smtp)})
        rows.append(
            {
                "scenario": f"{name} (SMTP, stamps not waiting for the disk flush)",
                **_deliver(issue.pk, NEWSLETTER_DURABLE_STAMPS=False, **smtp),
            }
        )
        rows.append(
            {
                "scenario": f"{name} (no mail server: our cost)",
                **_deliver(issue.pk, EMAIL_DELIVERY_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            }
        )
        return rows
    finally:
        sink.terminate()
        NewsletterSubscriber.objects.filter(email__startswith=f"bench-{tag}-").delete()
        if issue is not None:
            issue.deliveries.all().delete()
            NewsletterIssuePage.objects.get(pk=issue.pk).delete()
        if made_index is not None:
            made_index.delete()
