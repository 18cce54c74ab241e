# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""'Manage billing and invoices' on the company page: a Stripe customer portal session for the
buyer only, back to the company page, and a clear message (never a 500) when Stripe fails."""

import pytest

from program.payments.models import Payment, SeatPurchase, StripeCustomer
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    fake_stripe,
    priced_program,
    signed_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory(email="dana@northwind.test")
    client.force_login(user)
    return user


@pytest.fixture
def purchase(client, fake_stripe, priced_program, buyer) -> SeatPurchase:
    assert client.post(f"/checkout/{priced_program.pk}/", {"quantity": 4, "invoice": "on"}).status_code == 302
    session_id = Payment.objects.latest("pk").checkout_session_id
    fake_stripe.pay(session_id)
    assert signed_post(client, fake_stripe.session_event(session_id)).status_code == 200
    return SeatPurchase.objects.get(buyer=buyer)


def _portal_requests(fake_stripe) -> list[dict]:
    return [r[2] for r in fake_stripe.requests if r[:2] == ("POST", "/v1/billing_portal/sessions")]


def test_the_buyer_opens_billing_and_invoices_from_the_company_page(client, fake_stripe, purchase, buyer):
    page = client.get(f"/company/{purchase.pk}/").content.decode()
    assert "Manage billing and invoices" in page and f'action="/company/{purchase.pk}/billing/"' in page

    response = client.post(f"/company/{purchase.pk}/billing/")

    assert response.status_code == 302
    assert response["Location"] == fake_stripe.portal_sessions[-1]["url"]
    assert _portal_requests(fake_stripe) == [
        {
            "customer": StripeCustomer.objects.get(user=buyer).customer_id,
            "return_url": f"http://testserver/company/{purchase.pk}/",
        }
    ]


def test_another_user_gets_404_and_no_portal_is_opened(client, fake_stripe, purchase):
    client.force_login(UserFactory(email="someone@else.test"))

    assert client.post(f"/company/{purchase.pk}/billing/").status_code == 404
    assert client.post("/company/999999/billing/").status_code == 404
    assert _portal_requests(fake_stripe) == []


def test_it_is_a_post_and_needs_a_login(client, fake_stripe, purchase):
    assert client.get(f"/company/{purchase.pk}/billing/").status_code == 405
    client.logout()
    response = client.post(f"/company/{purchase.pk}/billing/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_when_stripe_refuses_the_buyer_sees_a_clear_message(client, fake_stripe, purchase):
    fake_stripe.portal_error = "You can't create a portal session until you save your customer portal settings."

    response = client.post(f"/company/{purchase.pk}/billing/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/company/{purchase.pk}/", 302)]
    assert "Your invoices can&#x27;t be opened right now" in response.content.decode()


def test_when_stripe_is_unreachable_the_buyer_sees_a_clear_message(client, fake_stripe, purchase, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = client.post(f"/company/{purchase.pk}/billing/", follow=True)
    assert response.status_code == 200 and "can&#x27;t be opened right now" in response.content.decode()
