"""Payment timings, in process: a signed webhook received (signature check, event stored and
queued), the stored event processed as the worker does (session read from a local fake Stripe,
enrollment), a duplicate delivery, and a seat acceptance by the invited, verified address. All inside a transaction that is rolled back.
Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_payments as b; print(b.run({}))"
"""

import json
import time
import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.run import latency_ms, repeat_of


class _Rollback(Exception):
    pass


def _row(scenario: str, samples: list[float], queries: int, target_ms: float) -> dict:
    return {
        "scenario": scenario,
        **latency_ms(samples),
        "queries": queries,
        "target_ms": target_ms,
    }


def run(ctx) -> list[dict]:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from home.models import HomePage
    from program.models import ProgramPage
    from program.payments.models import Payment, SeatPurchase, StripeEvent
    from program.payments.seats import seat_accept, seat_invite
    from program.payments.services import checkout_session_create
    from program.payments.stripe_events import stripe_event_handle
    from tests.program.payments.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, _handler_for, sign

    repeat = repeat_of(ctx, 15)
    fake = FakeStripe()
    from http.server import ThreadingHTTPServer
    from threading import Thread

    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    Thread(target=fake.server.serve_forever, daemon=True).start()
    rows: list[dict] = []
    overrides = {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": fake.base_url,
        "PAYMENTS_ENABLED": True,
        "ALLOWED_HOSTS": ["*"],
    }
    try:
        with override_settings(**overrides), transaction.atomic():
            home = HomePage.objects.first()
            program = ProgramPage(title="Bench program", slug=f"bench-{uuid.uuid4().hex[:8]}", promise="Bench")
            program.price, program.stripe_price_id = Decimal("497.00"), "price_bench"
            home.add_child(instance=program)
            client = Client()
            receive, fulfil, duplicate, accept = [], [], [], []
            receive_q = fulfil_q = dup_q = accept_q = 0
            for n in range(repeat):
                user = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:10]}@bench.invalid")
                session_url = checkout_session_create(
                    user=user,
                    program=program,
                    quantity=1,
                    success_url="http://x/{CHECKOUT_SESSION_ID}",
                    cancel_url="http://x/",
                )
                session_id = session_url.rsplit("/", 1)[-1]
                fake.pay(session_id)

                payload = json.dumps(fake.session_event(session_id))
                headers = {"HTTP_STRIPE_SIGNATURE": sign(payload), "secure": True}
                with CaptureQueriesContext(connection) as q:
                    start = time.perf_counter()
                    response = client.post("/stripe/webhook/", payload, content_type="application/json", **headers)
                    receive.append(time.perf_counter() - start)
                assert response.status_code == 200
                receive_q = max(receive_q, len(q))
                event = StripeEvent.objects.latest("pk")
                with CaptureQueriesContext(connection) as q:
                    start = time.perf_counter()
                    stripe_event_handle(stripe_event_id=event.pk)
                    fulfil.append(time.perf_counter() - start)
                assert Payment.objects.get(checkout_session_id=session_id).fulfilled_at
                fulfil_q = max(fulfil_q, len(q))
                with CaptureQueriesContext(connection) as q:
                    start = time.perf_counter()
                    client.post("/stripe/webhook/", payload, content_type="application/json", **headers)
                    duplicate.append(time.perf_counter() - start)
                dup_q = max(dup_q, len(q))
                purchase = SeatPurchase.objects.create(buyer=user, program=program, quantity=5)
                _, token = seat_invite(purchase=purchase, email=f"seat{n}@bench.invalid")
                seat_user = User.objects.create_user(email=f"seat{n}@bench.invalid")
                EmailAddress.objects.create(user=seat_user, email=seat_user.email, verified=True, primary=True)
                with CaptureQueriesContext(connection) as q:
                    start = time.perf_counter()
                    seat_accept(token=token, user=seat_user)
                    accept.append(time.perf_counter() - start)
                accept_q = max(accept_q, len(q))
            rows.append(_row("webhook: verify, store and queue the event", receive, receive_q, 50))
            rows.append(_row("worker: process the event (fake Stripe, enrollment)", fulfil, fulfil_q, 200))
            rows.append(_row("webhook: duplicate event ignored", duplicate, dup_q, 50))
            rows.append(_row("seat accept (locked)", accept, accept_q, 100))
            raise _Rollback
    except _Rollback:
        pass
    finally:
        fake.server.shutdown()
        fake.server.server_close()
    return rows
