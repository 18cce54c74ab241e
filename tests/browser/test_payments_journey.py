# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""The purchase journey in a real browser: a leader clicks Enrol, the local fake Stripe plays the
checkout, the signed webhook arrives, the success page confirms, the leader lands on the first
lesson. No network: the stripe library talks to tests/program/fake_stripe.py."""

import pytest
from django.test import Client

from program.models import Enrollment
from program.payments.models import Payment
from tests.factories import UserFactory
from tests.lessons.factories import make_lesson, make_module, make_program
from tests.program.payments.fake_stripe import PRICE_ID, fake_stripe, signed_post  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_pays_and_lands_on_the_first_lesson(
    page, live_server, login, screenshot, axe_check, home_page, fake_stripe
):
    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    program.stripe_price_id = PRICE_ID
    program.save_revision().publish()
    module = make_module(program, title="Step one", slug="step-one")
    first = make_lesson(module, title="Set the targets", slug="set-the-targets")
    make_lesson(module, title="Publish the results", slug="publish-the-results")
    # Stripe's hosted checkout would send the buyer back to our success URL once they pay.
    fake_stripe.checkout_url_template = f"{live_server.url}/checkout/success/?session_id={{id}}"
    leader = UserFactory(full_name="Marcus Bell")

    login(page, leader)
    page.goto(program.url)
    page.get_by_role("button", name="Enrol for 497 USD").click()
    page.wait_for_load_state()

    # Not paid yet at "Stripe": the success page waits and refreshes itself.
    assert page.get_by_role("heading", level=1).inner_text() == "Confirming your payment…"
    assert not Enrollment.objects.filter(user=leader).exists()
    session_id = Payment.objects.get(user=leader).checkout_session_id

    fake_stripe.pay(session_id)
    assert signed_post(Client(), fake_stripe.session_event(session_id)).status_code == 200

    page.wait_for_selector("h1:text('Payment received, access granted')", timeout=10_000)
    screenshot(page, "payments-success")
    axe_check(page)
    page.get_by_role("link", name="Start the first lesson").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}{first.url}"
    assert page.get_by_role("heading", level=1).inner_text() == "Set the targets"
    assert Enrollment.objects.get(user=leader).source == Enrollment.Source.STRIPE


def test_company_buyer_invites_a_leader_who_accepts(
    page, browser, live_server, login, screenshot, axe_check, home_page
):
    from django.core import mail

    from program.payments.models import SeatPurchase

    program = make_program(home_page, slug="nine-steps", title="9 Steps to Leading a Rock Star Sales Team")
    make_lesson(make_module(program, title="Step one", slug="step-one"), title="Set the targets", slug="targets")
    buyer = UserFactory(full_name="Tom Okafor")
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=5)

    login(page, buyer)
    page.goto(f"/company/{purchase.pk}/")
    page.get_by_label("Leader's email").fill("ana@summitcrest.test")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert "Invitation sent to ana@summitcrest.test" in page.locator("main").inner_text()
    screenshot(page, "payments-company")
    axe_check(page)

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/seats/accept/" in line)
    ana = UserFactory(email="ana@summitcrest.test")
    other = browser.new_context(base_url=live_server.url)
    ana_page = other.new_page()
    login(ana_page, ana)
    ana_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    axe_check(ana_page)
    ana_page.get_by_role("button", name="Accept my seat").click()
    ana_page.wait_for_load_state()
    assert ana_page.get_by_role("heading", level=1).inner_text() == "Set the targets"
    assert Enrollment.objects.get(user=ana).source == Enrollment.Source.SEAT
    other.close()
