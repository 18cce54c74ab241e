# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Company buyers: invoices with tax IDs, Stripe Tax when the setting says so, volume tiers set in
the admin, and "buy more seats" fulfilled once per Stripe session. The real stripe client talks to
the local fake; we assert the request bodies it received."""

from decimal import Decimal

import pytest
from wagtail.models import Site

from home.models import SiteSettings
from program.payments.models import Payment, SeatPriceTier, SeatPurchase, SeatTopUp
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    PRICE_ID,
    fake_stripe,
    priced_program,
    signed_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory(email="tom@summitcrest.test")
    client.force_login(user)
    return user


@pytest.fixture
def tiers(priced_program):
    SeatPriceTier.objects.create(program=priced_program, min_seats=5, price_per_seat=Decimal("447.00"))
    SeatPriceTier.objects.create(program=priced_program, min_seats=20, price_per_seat=Decimal("397.00"))


def _checkout(client, program, **data) -> str:
    response = client.post(f"/checkout/{program.pk}/", {"quantity": 1, **data})
    assert response.status_code == 302, response.content[:400]
    return Payment.objects.latest("pk").checkout_session_id


def _sent(fake_stripe) -> dict:
    return [r for r in fake_stripe.requests if r[:2] == ("POST", "/v1/checkout/sessions")][-1][2]


def _pay(client, fake_stripe, session_id):
    fake_stripe.pay(session_id)
    assert signed_post(client, fake_stripe.session_event(session_id)).status_code == 200
    return Payment.objects.get(checkout_session_id=session_id)


def test_a_company_asks_for_an_invoice_with_its_tax_id(client, fake_stripe, priced_program, buyer):
    session_id = _checkout(client, priced_program, quantity=3, invoice="on")
    params = _sent(fake_stripe)
    assert params["invoice_creation"]["enabled"] == "true"
    assert params["invoice_creation"]["invoice_data"]["description"].endswith(": 3 seats")
    assert params["tax_id_collection"] == {"enabled": "true"}
    assert params["billing_address_collection"] == "required"
    assert params["customer_update"] == {"name": "auto", "address": "auto"}
    assert "automatic_tax" not in params  # Stripe Tax is off until the setting turns it on

    payment = _pay(client, fake_stripe, session_id)
    assert payment.status == Payment.Status.PAID and payment.invoice_requested
    assert payment.invoice_url == f"https://invoice.stripe.test/i/{payment.invoice_id}"
    assert payment.invoice_pdf.endswith("/pdf")
    assert "View your invoice" in client.get(f"/checkout/success/?session_id={session_id}").content.decode()
    assert payment.invoice_url in client.get("/dashboard/").content.decode()


def test_without_an_invoice_request_nothing_about_invoices_is_sent_or_promised(
    client, fake_stripe, priced_program, buyer
):
    session_id = _checkout(client, priced_program)
    params = _sent(fake_stripe)
    assert not {"invoice_creation", "tax_id_collection", "customer_update", "automatic_tax"} & params.keys()
    payment = _pay(client, fake_stripe, session_id)
    html = client.get(f"/checkout/success/?session_id={session_id}").content.decode()
    assert payment.invoice_id == "" and "invoice" not in html.lower()


def _stripe_tax(on: bool) -> None:
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.stripe_automatic_tax = on
    site_settings.save()


def test_stripe_tax_is_on_when_the_coach_turns_it_on(client, fake_stripe, priced_program, buyer, tiers, settings):
    settings.STRIPE_AUTOMATIC_TAX = False  # the environment's default does not decide once the coach has
    _stripe_tax(True)
    _checkout(client, priced_program, quantity=6)
    params = _sent(fake_stripe)
    assert params["automatic_tax"] == {"enabled": "true"}
    assert params["customer_update"] == {"address": "auto"}
    assert params["line_items"][0]["price_data"]["tax_behavior"] == "exclusive"

    _stripe_tax(False)
    _checkout(client, priced_program, quantity=6)
    params = _sent(fake_stripe)
    assert "automatic_tax" not in params and "customer_update" not in params
    assert "tax_behavior" not in params["line_items"][0]["price_data"]


def test_stripe_tax_off_in_the_settings_wins_over_the_environment(client, fake_stripe, priced_program, buyer, settings):
    settings.STRIPE_AUTOMATIC_TAX = True
    _stripe_tax(False)
    _checkout(client, priced_program)
    assert "automatic_tax" not in _sent(fake_stripe)


def test_a_new_site_starts_with_stripe_tax_as_the_environment_says(settings):
    settings.STRIPE_AUTOMATIC_TAX = True
    assert SiteSettings().stripe_automatic_tax is True
    settings.STRIPE_AUTOMATIC_TAX = False
    assert SiteSettings().stripe_automatic_tax is False


def test_the_coach_turns_stripe_tax_on_in_the_admin(client, home_page):
    coach = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(coach)
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/home/sitesettings/{site.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="stripe_automatic_tax"' in page.content.decode()


def test_the_tier_for_the_quantity_sets_the_price_per_seat(client, fake_stripe, priced_program, buyer, tiers):
    _checkout(client, priced_program, quantity=4)
    assert _sent(fake_stripe)["line_items"] == [{"price": PRICE_ID, "quantity": "4"}]  # below 5: the program price

    session_id = _checkout(client, priced_program, quantity=5)
    item = _sent(fake_stripe)["line_items"][0]
    assert item["quantity"] == "5"
    assert item["price_data"]["unit_amount"] == "44700" and item["price_data"]["currency"] == "usd"
    payment = _pay(client, fake_stripe, session_id)
    assert (payment.status, payment.amount, payment.unit_amount) == (Payment.Status.PAID, 5 * 44700, 44700)
    assert SeatPurchase.objects.get(payment=payment).quantity == 5

    _checkout(client, priced_program, quantity=25)
    assert _sent(fake_stripe)["line_items"][0]["price_data"]["unit_amount"] == "39700"


def test_a_session_charging_another_amount_per_seat_is_flagged(client, fake_stripe, priced_program, buyer, tiers):
    session_id = _checkout(client, priced_program, quantity=5)
    fake_stripe.sessions[session_id]["_line_items"][0]["price"]["unit_amount"] = 100
    payment = _pay(client, fake_stripe, session_id)
    assert payment.status == Payment.Status.FLAGGED and not SeatPurchase.objects.exists()


def test_tiers_are_shown_on_the_offer_and_checkout_pages(client, fake_stripe, priced_program, buyer, tiers):
    for html in (
        client.get(f"/checkout/{priced_program.pk}/").content.decode(),
        client.get("/program/").content.decode(),
    ):
        assert "1–4" in html and "5–19" in html and "20 or more" in html
        assert "447.00 USD" in html and "397.00 USD" in html


def test_buy_more_seats_adds_to_the_pool_once(client, fake_stripe, priced_program, buyer, tiers):
    first = _pay(client, fake_stripe, _checkout(client, priced_program, quantity=3))
    purchase = SeatPurchase.objects.get(payment=first)
    page = client.get(f"/company/{purchase.pk}/").content.decode()
    assert f"/company/{purchase.pk}/more/" in page

    response = client.post(f"/company/{purchase.pk}/more/", {"quantity": 2, "invoice": "on"})
    assert response.status_code == 302
    params = _sent(fake_stripe)
    assert params["metadata"]["adds_to_purchase"] == str(purchase.pk)
    assert params["line_items"][0]["price_data"]["unit_amount"] == "44700"  # 3 + 2 = 5 seats: the 5+ tier
    session_id = Payment.objects.latest("pk").checkout_session_id
    top_up = _pay(client, fake_stripe, session_id)
    # Stripe delivers again under a new event id, and the buyer lands on the success page too.
    assert signed_post(client, fake_stripe.session_event(session_id)).status_code == 200
    assert "added to your company" in client.get(f"/checkout/success/?session_id={session_id}").content.decode()

    purchase.refresh_from_db()
    assert purchase.quantity == 5
    assert SeatTopUp.objects.get().payment == top_up and SeatPurchase.objects.count() == 1
    assert top_up.invoice_url


def test_a_refunded_top_up_takes_its_seats_back(client, fake_stripe, priced_program, buyer):
    first = _pay(client, fake_stripe, _checkout(client, priced_program, quantity=3))
    purchase = SeatPurchase.objects.get(payment=first)
    client.post(f"/company/{purchase.pk}/more/", {"quantity": 4})
    session_id = Payment.objects.latest("pk").checkout_session_id
    _pay(client, fake_stripe, session_id)
    purchase.refresh_from_db()
    assert purchase.quantity == 7
    assert signed_post(client, fake_stripe.refund_event(session_id)).status_code == 200
    purchase.refresh_from_db()
    assert purchase.quantity == 3 and purchase.revoked_at is None
    assert SeatTopUp.objects.get().revoked_at is not None


def test_only_the_buyer_can_buy_more_for_a_pool(client, fake_stripe, priced_program, buyer):
    first = _pay(client, fake_stripe, _checkout(client, priced_program, quantity=3))
    purchase = SeatPurchase.objects.get(payment=first)
    client.force_login(UserFactory())
    assert client.get(f"/company/{purchase.pk}/more/").status_code == 404
    assert client.post(f"/company/{purchase.pk}/more/", {"quantity": 2}).status_code == 404


def test_an_invoice_finalized_later_is_recorded_by_its_webhook(client, fake_stripe, priced_program, buyer):
    session_id = _checkout(client, priced_program, quantity=2, invoice="on")
    payment = _pay(client, fake_stripe, session_id)
    Payment.objects.filter(pk=payment.pk).update(invoice_url="", invoice_pdf="")  # Stripe had it as a draft
    invoice = dict(fake_stripe.invoices[payment.invoice_id], hosted_invoice_url="https://invoice.stripe.test/i/late")
    assert signed_post(client, fake_stripe.event("invoice.finalized", invoice)).status_code == 200
    payment.refresh_from_db()
    assert payment.invoice_url == "https://invoice.stripe.test/i/late"


def test_download_my_data_lists_the_buyers_invoice_links_and_no_one_elses(client, fake_stripe, priced_program, buyer):
    payment = _pay(client, fake_stripe, _checkout(client, priced_program, quantity=2, invoice="on"))
    assert payment.invoice_url and payment.invoice_pdf
    data = client.get("/profile/my-data.json").json()
    [row] = data["program"]["payments"]
    assert (row["invoice_url"], row["invoice_pdf"]) == (payment.invoice_url, payment.invoice_pdf)
    client.force_login(UserFactory())  # another account's download holds none of them
    other = client.get("/profile/my-data.json").content.decode()
    assert payment.invoice_url not in other and payment.invoice_pdf not in other
