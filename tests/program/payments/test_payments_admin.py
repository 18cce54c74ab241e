"""Manual enrollment in the Django admin: grant and revoke with a reason, audited."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from program.models import Enrollment, EnrollmentEvent
from program.services import enrollment_grant
from tests.factories import StaffFactory, UserFactory
from tests.program.payments.fake_stripe import priced_program  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(client):
    staff = StaffFactory()
    client.force_login(staff)
    return staff


def test_coach_grants_access_manually_with_a_reason(client, coach, priced_program):  # noqa: F811
    leader = UserFactory()

    response = client.post(
        "/django-admin/program/enrollment/add/",
        {"user": leader.pk, "program": priced_program.pk, "reason": "Paid by invoice"},
    )

    assert response.status_code == 302, response.content[:2000]
    enrollment = Enrollment.objects.get(user=leader)
    assert (enrollment.source, enrollment.status, enrollment.reason) == ("manual", "active", "Paid by invoice")
    event = EnrollmentEvent.objects.get(enrollment=enrollment)
    assert (event.action, event.actor, event.reason) == ("granted", coach, "Paid by invoice")


def test_coach_revokes_with_a_reason_and_the_audit_trail_shows_it(client, coach, priced_program):  # noqa: F811
    enrollment = enrollment_grant(user=UserFactory(), program=priced_program, source="manual", reason="Comped")
    url = "/django-admin/program/enrollment/"

    asked = client.post(url, {"action": "revoke_selected", ACTION_CHECKBOX_NAME: [enrollment.pk]})
    assert "reason" in asked.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.is_active  # nothing changes until a reason is given

    client.post(url, {"action": "revoke_selected", ACTION_CHECKBOX_NAME: [enrollment.pk], "reason": "Left the company"})

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.REVOKED
    detail = client.get(f"{url}{enrollment.pk}/change/").content.decode()
    assert "Left the company" in detail and "Comped" in detail


def test_coach_can_restore_access(client, coach, priced_program):  # noqa: F811
    from program.services import enrollment_revoke

    enrollment = enrollment_grant(user=UserFactory(), program=priced_program, source="stripe")
    enrollment_revoke(enrollment=enrollment, reason="refund")

    client.post(
        "/django-admin/program/enrollment/",
        {"action": "restore_selected", ACTION_CHECKBOX_NAME: [enrollment.pk], "reason": "Workshop attendee"},
    )

    enrollment.refresh_from_db()
    assert enrollment.is_active and enrollment.source == "manual"


def test_payment_admin_pages_load(client, coach):
    for path in ["payments/payment", "payments/stripeevent", "payments/seatpurchase", "program/enrollment"]:
        assert client.get(f"/django-admin/{path}/").status_code == 200


def test_leaders_cannot_reach_the_admin(client, priced_program):  # noqa: F811
    client.force_login(UserFactory())

    assert client.get("/django-admin/program/enrollment/").status_code == 302
