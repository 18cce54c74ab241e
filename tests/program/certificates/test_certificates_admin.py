"""The coach's Django admin for certificates: manual issue and revoke with a reason."""

import pytest
from django.urls import reverse

from program.certificates.models import Certificate
from program.certificates.services import certificate_issue
from tests.factories import StaffFactory


@pytest.fixture
def coach_client(client, db):
    client.force_login(StaffFactory())
    return client


def test_coach_issues_a_workshop_certificate_by_hand(coach_client, home_page):
    response = coach_client.post(
        reverse("admin:certificates_certificate_add"),
        {
            "learner_name": "Marcus Bell",
            "learner_email": "marcus@example.com",
            "program_title": "Live workshop: The monthly 1:1",
            "completed_on": "2026-10-03",
            "hours": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    certificate = Certificate.objects.get()
    assert (certificate.learner_name, certificate.program_title) == ("Marcus Bell", "Live workshop: The monthly 1:1")
    assert certificate.issued_by.is_staff


def test_manual_issue_without_name_or_title_shows_errors(coach_client, home_page):
    response = coach_client.post(reverse("admin:certificates_certificate_add"), {"completed_on": "2026-10-03"})
    assert response.status_code == 200
    assert "Give the learner" in response.content.decode()
    assert not Certificate.objects.exists()


def test_coach_revokes_with_a_reason(coach_client, home_page):
    certificate = certificate_issue(learner_name="Tom Okafor", program_title="Workshop", notify=False)
    url = reverse("admin:certificates_certificate_changelist")
    data = {"action": "revoke_selected", "_selected_action": [certificate.pk]}
    asks = coach_client.post(url, data)
    assert asks.status_code == 200 and "reason" in asks.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid  # nothing changes until a reason is given
    coach_client.post(url, {**data, "reason": "Attendance not confirmed"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "Attendance not confirmed"


def test_learners_cannot_reach_the_admin(client, user):
    client.force_login(user)
    assert client.get(reverse("admin:certificates_certificate_changelist")).status_code == 302


def test_wagtail_admin_menu_links_to_certificates(coach_client, home_page):
    html = coach_client.get("/admin/").content.decode()
    assert reverse("admin:certificates_certificate_changelist") in html
