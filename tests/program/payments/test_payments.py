# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Checkout, fulfilment and the webhook, with the real stripe client talking to a local fake
Stripe and webhook payloads signed exactly like Stripe signs them."""

import json
import time

import pytest

from program.models import Enrollment, EnrollmentEvent
from program.payments.models import Payment, StripeCustomer, StripeEvent
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    PRICE_ID,
    fake_stripe,
    priced_program,
    sign,
    signed_post,
    start_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client):
    user = UserFactory()
    client.force_login(user)
    return user


def paid_session(client, fake_stripe, program) -> str:
    session_id = start_checkout(client, program)
    fake_stripe.pay(session_id)
    return session_id


# --- starting a checkout ------------------------------------------------------------------


def test_enrol_starts_a_checkout_session_with_the_program_price(client, fake_stripe, priced_program, leader):
    response = client.post(f"/checkout/{priced_program.pk}/", {"quantity": 1})

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"https://checkout.stripe.test/c/pay/{payment.checkout_session_id}"
    assert (payment.user, payment.program, payment.status) == (leader, priced_program, Payment.Status.PENDING)
    _, _, params = next(r for r in fake_stripe.requests if r[1] == "/v1/checkout/sessions")
    assert params["mode"] == "payment"
    assert params["line_items"] == [{"price": PRICE_ID, "quantity": "1"}]
    assert params["allow_promotion_codes"] == "true"
    assert params["customer"] == StripeCustomer.objects.get(user=leader).customer_id
    assert "{CHECKOUT_SESSION_ID}" in params["success_url"]
    assert fake_stripe.customers[params["customer"]]["email"] == leader.email


def test_the_stripe_customer_is_remembered_for_the_next_checkout(client, fake_stripe, priced_program, leader):
    start_checkout(client, priced_program)
    start_checkout(client, priced_program)

    assert sum(1 for r in fake_stripe.requests if r[1] == "/v1/customers") == 1
    assert StripeCustomer.objects.filter(user=leader).count() == 1


def test_anonymous_visitor_is_sent_to_log_in_and_back_to_the_same_checkout(client, fake_stripe, priced_program):
    response = client.get(f"/checkout/{priced_program.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/checkout/{priced_program.pk}/"
    assert not Payment.objects.exists()


def test_program_page_enrol_button_sends_anonymous_visitors_to_signup_and_back(client, fake_stripe, priced_program):
    html = client.get(priced_program.url).content.decode()

    assert f"/accounts/signup/?next=/checkout/{priced_program.pk}/" in html


def _render_enrol(program, user=None, enrolled=False) -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/program/")
    request.user = user or AnonymousUser()
    context = {"page": program, "request": request, "user": request.user, "enrolled": enrolled}
    return render_to_string("payments/includes/enrol_call.html", context, request=request)


def test_without_stripe_keys_enrol_explains_that_online_payment_is_not_set_up(client, settings, priced_program, leader):
    settings.PAYMENTS_ENABLED = False
    settings.STRIPE_SECRET_KEY = ""

    assert "Online payment isn't set up yet" in _render_enrol(priced_program, user=leader)
    response = client.post(f"/checkout/{priced_program.pk}/", {"quantity": 1})
    assert response.status_code == 200
    assert "Online payment isn't set up yet" in response.content.decode()
    assert not Payment.objects.exists()


def test_logged_in_leader_sees_an_enrol_form_posting_to_checkout(fake_stripe, priced_program, leader):
    html = _render_enrol(priced_program, user=leader)

    assert f'action="/checkout/{priced_program.pk}/"' in html
    assert "Enrol for 497 USD" in html


# --- the webhook --------------------------------------------------------------------------


def test_checkout_completed_webhook_enrols_the_buyer(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)

    response = signed_post(client, fake_stripe.session_event(session_id))

    assert response.status_code == 200
    enrollment = Enrollment.objects.get(user=leader, program=priced_program)
    assert (enrollment.status, enrollment.source) == (Enrollment.Status.ACTIVE, Enrollment.Source.STRIPE)
    payment = Payment.objects.get(checkout_session_id=session_id)
    assert payment.status == Payment.Status.PAID
    assert payment.amount == 49700 and payment.currency == "usd" and payment.payment_intent_id.startswith("pi_")
    assert StripeEvent.objects.get().processed_at is not None


def test_the_same_event_twice_gives_one_enrollment(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    event = fake_stripe.session_event(session_id)

    first = signed_post(client, event)
    second = signed_post(client, event)

    assert first.status_code == second.status_code == 200
    assert second.content == b"Already processed."
    assert Enrollment.objects.filter(user=leader).count() == 1
    assert EnrollmentEvent.objects.filter(action="granted").count() == 1
    assert StripeEvent.objects.count() == 1


def test_two_events_for_the_same_session_fulfil_once(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)

    signed_post(client, fake_stripe.session_event(session_id))
    signed_post(client, fake_stripe.session_event(session_id, "checkout.session.async_payment_succeeded"))

    assert EnrollmentEvent.objects.filter(enrollment__user=leader).count() == 1
    assert StripeEvent.objects.count() == 2


@pytest.mark.parametrize(
    "make_request",
    [
        pytest.param(lambda payload: {"HTTP_STRIPE_SIGNATURE": sign(payload, "whsec_wrong")}, id="wrong-secret"),
        pytest.param(lambda payload: {}, id="missing-header"),
        pytest.param(
            lambda payload: {"HTTP_STRIPE_SIGNATURE": sign(payload, timestamp=int(time.time()) - 3600)}, id="stale"
        ),
        pytest.param(lambda payload: {"HTTP_STRIPE_SIGNATURE": "t=1,v1=deadbeef"}, id="garbage-header"),
    ],
)
def test_bad_signatures_are_rejected_and_change_nothing(client, fake_stripe, priced_program, leader, make_request):
    session_id = paid_session(client, fake_stripe, priced_program)
    payload = json.dumps(fake_stripe.session_event(session_id))

    response = client.post("/stripe/webhook/", data=payload, content_type="application/json", **make_request(payload))

    assert response.status_code == 400
    assert not Enrollment.objects.exists()
    assert not StripeEvent.objects.exists()
    assert Payment.objects.get().status == Payment.Status.PENDING


def test_malformed_json_with_a_valid_signature_is_rejected(client, fake_stripe, caplog):
    payload = "{not json"

    response = client.post(
        "/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload)
    )

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert "malformed" in caplog.text


def test_unknown_event_types_are_acknowledged_and_ignored(client, fake_stripe):
    response = signed_post(client, fake_stripe.event("customer.created", {"id": "cus_x", "object": "customer"}))

    assert response.status_code == 200
    assert not StripeEvent.objects.exists()
    assert not Payment.objects.exists()


def test_event_for_a_session_we_never_started_grants_nothing_and_is_flagged(client, fake_stripe, priced_program):
    session = fake_stripe.add_session(price=PRICE_ID)

    response = signed_post(client, fake_stripe.event("checkout.session.completed", session))

    assert response.status_code == 200
    assert not Enrollment.objects.exists()
    payment = Payment.objects.get(checkout_session_id=session["id"])
    assert payment.status == Payment.Status.FLAGGED and payment.user is None


def test_event_for_a_session_stripe_does_not_know_is_flagged(client, fake_stripe, priced_program):
    fake = {"id": "cs_test_made_up", "object": "checkout.session", "payment_status": "paid"}

    response = signed_post(client, fake_stripe.event("checkout.session.completed", fake))

    assert response.status_code == 200
    assert Payment.objects.get(checkout_session_id="cs_test_made_up").status == Payment.Status.FLAGGED
    assert not Enrollment.objects.exists()


def test_a_price_that_does_not_match_the_program_grants_nothing_and_is_flagged(
    client, fake_stripe, priced_program, leader
):
    session_id = paid_session(client, fake_stripe, priced_program)
    fake_stripe.sessions[session_id]["_line_items"][0]["price"]["id"] = "price_test_cheap_tshirt"

    signed_post(client, fake_stripe.session_event(session_id))

    payment = Payment.objects.get(checkout_session_id=session_id)
    assert payment.status == Payment.Status.FLAGGED
    assert "does not match" in payment.flag_reason
    assert not Enrollment.objects.exists()
    # and the success page doesn't grant it either
    client.get(f"/checkout/success/?session_id={session_id}")
    assert not Enrollment.objects.exists()


def test_an_unpaid_session_waits_for_the_async_payment(client, fake_stripe, priced_program, leader):
    session_id = start_checkout(client, priced_program)
    fake_stripe.pay(session_id, payment_status="unpaid")  # e.g. a bank debit, still clearing

    signed_post(client, fake_stripe.session_event(session_id))
    assert not Enrollment.objects.exists()
    assert Payment.objects.get().status == Payment.Status.PENDING

    fake_stripe.pay(session_id)
    signed_post(client, fake_stripe.session_event(session_id, "checkout.session.async_payment_succeeded"))
    assert Enrollment.objects.get(user=leader).is_active


def test_an_async_payment_that_fails_grants_nothing(client, fake_stripe, priced_program, leader):
    session_id = start_checkout(client, priced_program)
    fake_stripe.pay(session_id, payment_status="unpaid")

    signed_post(client, fake_stripe.session_event(session_id, "checkout.session.async_payment_failed"))

    assert Payment.objects.get().status == Payment.Status.FAILED
    assert not Enrollment.objects.exists()


# --- the success and cancel pages ---------------------------------------------------------


def test_success_page_confirms_then_grants(client, fake_stripe, priced_program, leader):
    session_id = start_checkout(client, priced_program)

    waiting = client.get(f"/checkout/success/?session_id={session_id}").content.decode()
    assert "Confirming your payment…" in waiting
    assert 'http-equiv="refresh"' in waiting
    assert not Enrollment.objects.exists()

    fake_stripe.pay(session_id)
    done = client.get(f"/checkout/success/?session_id={session_id}").content.decode()
    assert "Payment received, access granted" in done
    assert 'http-equiv="refresh"' not in done
    assert Enrollment.objects.get(user=leader).is_active


def test_success_page_then_webhook_gives_one_enrollment(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)

    client.get(f"/checkout/success/?session_id={session_id}")
    signed_post(client, fake_stripe.session_event(session_id))
    client.get(f"/checkout/success/?session_id={session_id}")

    assert Enrollment.objects.count() == 1
    assert EnrollmentEvent.objects.count() == 1


def test_someone_elses_success_page_is_404(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    client.force_login(UserFactory())

    assert client.get(f"/checkout/success/?session_id={session_id}").status_code == 404
    assert not Enrollment.objects.exists()


def test_cancel_page_changes_nothing(client, fake_stripe, priced_program, leader):
    start_checkout(client, priced_program)

    response = client.get(f"/checkout/cancel/?program={priced_program.pk}")

    assert "No payment was made" in response.content.decode()
    assert not Enrollment.objects.exists()
    assert Payment.objects.get().status == Payment.Status.PENDING
