# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Refunds, disputes and the billing panel on the dashboard, with the real stripe client talking
to a local fake Stripe and webhook payloads signed exactly like Stripe signs them."""

import pytest

from program.models import Enrollment, EnrollmentEvent
from program.payments.models import Payment, StripeCustomer
from program.payments.services import checkout_fulfil
from program.services import enrollment_revoke
from program.signals import enrollment_revoked
from tests.factories import CoachFactory, UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    PRICE_ID,
    fake_stripe,
    priced_program,
    sign,
    signed_post,
    start_checkout,
)
from tests.program.payments.test_payments import leader, paid_session  # noqa: F401  (fixture, helper)

pytestmark = pytest.mark.django_db


# --- refunds and disputes -----------------------------------------------------------------


def test_full_refund_removes_access_keeps_the_row_and_a_repurchase_restores(
    client, fake_stripe, priced_program, leader
):
    revoked = []
    enrollment_revoked.connect(
        lambda sender, enrollment, **kw: revoked.append(enrollment.pk), weak=False, dispatch_uid="t"
    )
    try:
        session_id = paid_session(client, fake_stripe, priced_program)
        signed_post(client, fake_stripe.session_event(session_id))
        enrollment = Enrollment.objects.get(user=leader)

        signed_post(client, fake_stripe.refund_event(session_id))

        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.REVOKED  # the row (and with it, progress) stays
        assert revoked == [enrollment.pk]  # certificates listen to this
        assert Payment.objects.get(checkout_session_id=session_id).status == Payment.Status.REFUNDED

        again = paid_session(client, fake_stripe, priced_program)
        signed_post(client, fake_stripe.session_event(again))

        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.ACTIVE
        assert Enrollment.objects.count() == 1
        assert list(enrollment.events.values_list("action", flat=True)) == ["granted", "revoked", "restored"]
    finally:
        enrollment_revoked.disconnect(dispatch_uid="t")


def test_partial_refund_keeps_access(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))

    signed_post(client, fake_stripe.refund_event(session_id, amount_refunded=10000))

    assert Enrollment.objects.get(user=leader).is_active
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_refunded) == (Payment.Status.PAID, 10000)


def test_refund_does_not_take_away_a_manual_grant(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))
    enrollment = Enrollment.objects.get(user=leader)
    from program.services import enrollment_grant

    enrollment_revoke(enrollment=enrollment, reason="switching to invoice")
    enrollment_grant(user=leader, program=priced_program, source=Enrollment.Source.MANUAL, reason="paid by invoice")

    signed_post(client, fake_stripe.refund_event(session_id))

    assert Enrollment.objects.get(user=leader).is_active


def test_dispute_flags_the_payment_and_emails_the_coach_once(
    client, fake_stripe, priced_program, leader, mailoutbox, django_capture_on_commit_callbacks
):

    coach = CoachFactory(email="coach@example.com")
    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, fake_stripe.dispute_event(session_id))
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, fake_stripe.dispute_event(session_id))  # a second dispute event: no second email

    payment = Payment.objects.get()
    assert payment.disputed and "fraudulent" in payment.flag_reason
    assert [m.to for m in mailoutbox] == [[coach.email]]
    assert "disputed" in mailoutbox[0].subject and payment.payment_intent_id in mailoutbox[0].body
    assert Enrollment.objects.get(user=leader).is_active  # access is the coach's decision


def test_fulfil_is_idempotent_when_called_directly(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)

    for _ in range(3):
        checkout_fulfil(session_id=session_id)

    assert EnrollmentEvent.objects.count() == 1


# --- billing on the dashboard -------------------------------------------------------------


def test_billing_panel_lists_payments_and_opens_the_customer_portal(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))

    html = client.get("/dashboard/").content.decode()
    assert "Billing" in html and "497.00 USD" in html and "Paid" in html

    response = client.post("/billing/portal/")
    assert response.status_code == 302
    assert response["Location"] == fake_stripe.portal_sessions[-1]["url"]
    assert fake_stripe.portal_sessions[-1]["customer"] == StripeCustomer.objects.get(user=leader).customer_id


def test_billing_panel_is_hidden_for_leaders_who_never_paid(leader, django_assert_num_queries):
    from program.payments.selectors import billing_panel_context

    with django_assert_num_queries(1):
        assert billing_panel_context(user=leader) is None


def test_billing_is_private(client, fake_stripe, priced_program, leader):
    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))
    client.force_login(UserFactory())

    assert "497.00 USD" not in client.get("/dashboard/").content.decode()
    assert client.post("/billing/portal/").status_code == 404
    assert not fake_stripe.portal_sessions


def test_billing_panel_takes_two_queries_however_many_payments(
    client, fake_stripe, priced_program, leader, django_assert_num_queries
):
    from django.template.loader import render_to_string

    from program.payments.selectors import billing_panel_context

    for _ in range(15):
        checkout_fulfil(session_id=paid_session(client, fake_stripe, priced_program))

    with django_assert_num_queries(2):
        html = render_to_string("payments/includes/billing_panel.html", {"panel": billing_panel_context(user=leader)})
    assert html.count("497.00 USD") == 15
    assert html.count(f"<td>{priced_program.title}</td>") == 15  # the program's title, no page loaded


def test_refund_marks_the_certificate_revoked(client, fake_stripe, priced_program, leader):
    from django.utils import timezone

    from program.certificates.models import Certificate
    from program.certificates.services import certificate_issue

    session_id = paid_session(client, fake_stripe, priced_program)
    signed_post(client, fake_stripe.session_event(session_id))
    enrollment = Enrollment.objects.get(user=leader)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    enrollment.refresh_from_db()
    certificate = certificate_issue(enrollment=enrollment)

    signed_post(client, fake_stripe.refund_event(session_id))

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
