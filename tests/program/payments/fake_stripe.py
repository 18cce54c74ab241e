"""A small local stand-in for the Stripe API, plus webhook signing exactly like Stripe's.

The real stripe library talks to it over HTTP (settings.STRIPE_API_BASE points here), so our
client code runs end to end with no network. Usage in a test module:

    from tests.program.payments.fake_stripe import fake_stripe, signed_post  # noqa: F401

`fake_stripe` starts the server on 127.0.0.1 (random port), configures the Stripe settings and
yields a FakeStripe whose `pay()`, `event()` and `sessions` let a test play Stripe's part.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

WEBHOOK_SECRET = "whsec_test_huddle_0123456789"
SECRET_KEY = "sk_test_huddle_fake"
DEFAULT_UNIT_AMOUNT = 49700

_ids = itertools.count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}_test_{next(_ids):06d}"


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send: t=<ts>,v1=<HMAC-SHA256(secret, "<ts>.<payload>")>."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def signed_post(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """POST `event` to our webhook, signed like Stripe; returns the response."""
    payload = json.dumps(event)
    return client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret, timestamp),
    )


def _nest(pairs: list[tuple[str, str]]) -> dict:
    """Decode Stripe's form encoding (a[0][b]=c) into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        *parents, last = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class FakeStripe:
    def __init__(self) -> None:
        self.sessions: dict[str, dict] = {}
        self.customers: dict[str, dict] = {}
        self.portal_sessions: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.prices: dict[str, int] = {}
        self.coupons: dict[str, dict] = {}
        self.promotion_codes: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.portal_error: str = ""  # set: the portal answers with this Stripe error (e.g. not configured)
        self.down = False  # True: every API request answers 500, as Stripe does during an outage
        self.idempotent: dict[str, tuple[int, dict]] = {}  # Idempotency-Key -> the first answer
        # Where Checkout would send the buyer; "{id}" is replaced. Browser tests point it at our success URL.
        self.checkout_url_template = "https://checkout.stripe.test/c/pay/{id}"
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # -- playing Stripe's part in a test ------------------------------------------------------
    def pay(self, session_id: str, *, payment_status: str = "paid") -> dict:
        """The buyer completed the checkout page."""
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "complete"
            session["payment_status"] = payment_status
            session["payment_intent"] = session["payment_intent"] or _new_id("pi")
            if session["_invoice_creation"] and not session["invoice"]:
                # Checkout finalizes the invoice once paid (payment mode with invoice_creation).
                invoice_id = _new_id("in")
                self.invoices[invoice_id] = {
                    "id": invoice_id,
                    "object": "invoice",
                    "status": "paid",
                    "customer": session["customer"],
                    "payment_intent": session["payment_intent"],
                    "amount_paid": session["amount_total"],
                    "hosted_invoice_url": f"https://invoice.stripe.test/i/{invoice_id}",
                    "invoice_pdf": f"https://pay.stripe.test/invoice/{invoice_id}/pdf",
                }
                session["invoice"] = invoice_id
            return dict(session)

    def add_session(self, *, price: str, quantity: int = 1, payment_status: str = "paid", **extra) -> dict:
        """A session created elsewhere (e.g. in the Stripe dashboard), unknown to our database."""
        session = self._session({"line_items": [{"price": price, "quantity": str(quantity)}], "mode": "payment"})
        session.update(payment_status=payment_status, status="complete", payment_intent=_new_id("pi"), **extra)
        return session

    def event(self, type_: str, obj: dict, *, event_id: str | None = None) -> dict:
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "type": type_,
            "data": {"object": obj},
        }

    def session_event(self, session_id: str, type_: str = "checkout.session.completed", **kw) -> dict:
        session = {k: v for k, v in self.sessions[session_id].items() if not k.startswith("_")}
        return self.event(type_, session, **kw)

    def refund_event(self, session_id: str, *, amount_refunded: int | None = None) -> dict:
        session = self.sessions[session_id]
        total = session["amount_total"]
        refunded = total if amount_refunded is None else amount_refunded
        charge = {
            "id": _new_id("ch"),
            "object": "charge",
            "amount": total,
            "amount_refunded": refunded,
            "refunded": refunded >= total,
            "payment_intent": session["payment_intent"],
            "currency": session["currency"],
        }
        return self.event("charge.refunded", charge)

    def dispute_event(self, session_id: str) -> dict:
        session = self.sessions[session_id]
        dispute = {
            "id": _new_id("dp"),
            "object": "dispute",
            "amount": session["amount_total"],
            "charge": _new_id("ch"),
            "payment_intent": session["payment_intent"],
            "reason": "fraudulent",
            "status": "needs_response",
        }
        return self.event("charge.dispute.created", dispute)

    # -- the API ------------------------------------------------------------------------------
    def _price(self, item: dict) -> dict:
        """The Price a line item names, or the one Stripe makes from its `price_data`."""
        data = item.get("price_data")
        if data:
            return {"id": _new_id("price"), "object": "price", "unit_amount": int(data["unit_amount"]),
                    "currency": data["currency"]}  # fmt: skip
        price_id = item.get("price")
        return {"id": price_id, "object": "price", "unit_amount": self.prices.get(price_id, DEFAULT_UNIT_AMOUNT),
                "currency": "usd"}  # fmt: skip

    def _session(self, params: dict) -> dict:
        session_id = _new_id("cs")
        items = params.get("line_items") or []
        prices = [self._price(i) for i in items]
        amount = sum(p["unit_amount"] * int(i.get("quantity", 1)) for p, i in zip(prices, items, strict=True))
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode", "payment"),
            "status": "open",
            "payment_status": "unpaid",
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "amount_total": amount,
            "currency": "usd",
            "payment_intent": None,
            "allow_promotion_codes": params.get("allow_promotion_codes") == "true",
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "url": self.checkout_url_template.replace("{id}", session_id),
            "invoice": None,
            "_invoice_creation": (params.get("invoice_creation") or {}).get("enabled") == "true",
            "_line_items": [
                {
                    "id": _new_id("li"),
                    "object": "item",
                    "price": price,
                    "quantity": int(i.get("quantity", 1)),
                    "amount_total": price["unit_amount"] * int(i.get("quantity", 1)),
                }
                for price, i in zip(prices, items, strict=True)
            ],
        }
        with self.lock:
            self.sessions[session_id] = session
        return session

    def handle(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        self.requests.append((method, path, params))
        if self.down:
            return 500, {"error": {"type": "api_error", "message": "An unknown error occurred (fake outage)."}}
        if method == "POST" and path == "/v1/customers":
            customer = {"id": _new_id("cus"), "object": "customer", "email": params.get("email")}
            self.customers[customer["id"]] = customer
            return 200, customer
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._public(self._session(params), expand=False)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)", path)
        if method == "GET" and match:
            session = self.sessions.get(match.group(1))
            if session is None:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": f"No such checkout.session: '{match.group(1)}'",
                    }
                }
            expand = params.get("expand") or []
            return 200, self._public(session, expand="line_items" in expand, invoice="invoice" in expand)
        match = re.fullmatch(r"/v1/coupons/([^/]+)", path)
        if method == "GET" and match:
            coupon = self.coupons.get(match.group(1))
            if coupon is None:
                return 404, {
                    "error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such coupon"}
                }
            return 200, coupon
        if method == "POST" and path == "/v1/coupons":
            if params.get("id") in self.coupons:
                return 400, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_already_exists",
                        "message": "Coupon already exists.",
                    }
                }  # noqa: E501
            coupon = {
                "id": params.get("id") or _new_id("co"),
                "object": "coupon",
                "percent_off": float(params["percent_off"]),
                "duration": params.get("duration"),
            }  # noqa: E501
            self.coupons[coupon["id"]] = coupon
            return 200, coupon
        if method == "POST" and path == "/v1/promotion_codes":
            coupon_id = (params.get("promotion") or {}).get("coupon")
            if coupon_id not in self.coupons:
                return 400, {"error": {"type": "invalid_request_error", "message": f"No such coupon: '{coupon_id}'"}}
            promotion = {
                "id": _new_id("promo"),
                "object": "promotion_code",
                "code": params.get("code") or _new_id("CODE"),
                "promotion": {"type": "coupon", "coupon": coupon_id},
                "max_redemptions": int(params["max_redemptions"]) if params.get("max_redemptions") else None,
                "expires_at": int(params["expires_at"]) if params.get("expires_at") else None,
                "active": True,
            }
            self.promotion_codes[promotion["id"]] = promotion
            return 200, promotion
        if method == "POST" and path == "/v1/billing_portal/sessions":
            if self.portal_error:
                return 400, {"error": {"type": "invalid_request_error", "message": self.portal_error}}
            if params.get("customer") not in self.customers:
                return 400, {
                    "error": {
                        "type": "invalid_request_error",
                        "message": f"No such customer: '{params.get('customer')}'",
                    }
                }
            portal = {
                "id": _new_id("bps"),
                "object": "billing_portal.session",
                "customer": params.get("customer"),
                "return_url": params.get("return_url"),
                "url": f"https://billing.stripe.test/p/session/{_new_id('portal')}",
            }
            self.portal_sessions.append(portal)
            return 200, portal
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}}

    def _public(self, session: dict, *, expand: bool, invoice: bool = False) -> dict:
        with self.lock:
            data = {k: v for k, v in session.items() if not k.startswith("_")}
            if expand:
                data["line_items"] = {"object": "list", "data": list(session["_line_items"]), "has_more": False}
            if invoice and data.get("invoice"):
                data["invoice"] = dict(self.invoices[data["invoice"]])
        return data


def _handler_for(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            auth = self.headers.get("Authorization", "")
            if auth != f"Bearer {SECRET_KEY}":
                status, data = 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
            else:
                params = _nest(parse_qsl(parts.query, keep_blank_values=True) + parse_qsl(body, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key") if method == "POST" else None
                if key and key in fake.idempotent:
                    status, data = fake.idempotent[key]  # as Stripe does: the first answer again
                else:
                    status, data = fake.handle(method, parts.path, params)
                    if key:
                        fake.idempotent[key] = (status, data)
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", "req_fake")
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):  # noqa: N802
            self._reply("GET")

        def do_POST(self):  # noqa: N802
            self._reply("POST")

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def fake_stripe(settings):
    """A running fake Stripe API with our settings pointed at it; stopped after the test."""
    fake = FakeStripe()
    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_huddle_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.base_url
    settings.PAYMENTS_ENABLED = True
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


PRICE_ID = "price_test_rockstar"


@pytest.fixture
def priced_program(home_page):
    """A live program priced 497 USD with a Stripe price, under the site's home page."""
    from decimal import Decimal

    from program.models import ProgramPage

    program = ProgramPage(
        title="9 Steps to Leading a Rock Star Sales Team",
        slug="program",
        promise="Lead a team that hits its numbers every month.",
        price=Decimal("497.00"),
        currency="USD",
        stripe_price_id=PRICE_ID,
    )
    home_page.add_child(instance=program)
    program.save_revision().publish()
    return program


def start_checkout(client, program, quantity: int = 1) -> str:
    """Click Enrol as the logged-in client; returns the new Checkout Session id."""
    from program.payments.models import Payment

    response = client.post(f"/checkout/{program.pk}/", {"quantity": quantity})
    assert response.status_code == 302, response.content[:500]
    return Payment.objects.latest("pk").checkout_session_id
