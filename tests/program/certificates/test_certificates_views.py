"""Certificate pages: owner-only download, public verification, rate limit, re-issue, panel."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from program.certificates.models import Certificate
from program.certificates.services import certificate_issue, certificate_revoke
from program.models import ProgramPage
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def program(home_page) -> ProgramPage:
    page = ProgramPage(title="9 Steps to Leading a Rock Star Sales Team", slug="nine-steps", promise="Lead well.")
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def certificate(user, program) -> Certificate:
    return certificate_issue(user=user, program=program, hours=Decimal("12"), notify=False)


def strip_csrf(content: bytes) -> bytes:
    """Pages may carry a form (e.g. a newsletter sign-up) whose CSRF token differs per request."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def download_url(certificate):
    return reverse("certificates:download", args=[certificate.code])


def verify_url(code):
    return reverse("certificates:verify", args=[code])


def test_owner_downloads_the_pdf(client, user, certificate):
    client.force_login(user)
    response = client.get(download_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"certificate-{certificate.code}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_someone_else_gets_404(client, other_user, certificate):
    client.force_login(other_user)
    for name in ("download", "detail"):
        assert client.get(reverse(f"certificates:{name}", args=[certificate.code])).status_code == 404
    assert client.post(reverse("certificates:reissue", args=[certificate.code])).status_code == 404
    assert (
        client.post(reverse("certificates:paper_size", args=[certificate.code]), {"paper_size": "a4"}).status_code
        == 404
    )
    certificate.refresh_from_db()
    assert certificate.paper_size == "letter"


def test_anonymous_is_sent_to_log_in(client, certificate):
    response = client.get(download_url(certificate))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_can_download_any_certificate(client, certificate):
    client.force_login(StaffFactory())
    assert client.get(download_url(certificate)).status_code == 200


def test_revoked_certificate_is_no_longer_downloadable_by_its_owner(client, user, certificate):
    certificate_revoke(certificate=certificate, reason="Refunded")
    client.force_login(user)
    assert client.get(download_url(certificate)).status_code == 404


def test_verification_page_shows_the_facts_and_no_email(client, user, certificate):
    response = client.get(verify_url(certificate.code))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Valid certificate", certificate.learner_name, certificate.program_title, "Huddle", certificate.code):
        assert text in html
    assert user.email not in html
    assert 'name="robots" content="noindex"' in html


def test_verification_accepts_a_code_typed_loosely(client, certificate):
    typed = certificate.code.replace("-", " ").lower()
    assert client.get(verify_url(typed)).status_code == 200


def test_linkedin_link_is_prefilled(client, certificate):
    response = client.get(verify_url(certificate.code))
    link = next(a for a in response.content.decode().split('href="') if a.startswith("https://www.linkedin.com"))
    query = parse_qs(urlsplit(link.split('"')[0].replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [certificate.program_title]
    assert query["organizationName"] == ["Huddle"]
    assert query["issueYear"] == [str(certificate.completed_on.year)]
    assert query["issueMonth"] == [str(certificate.completed_on.month)]
    assert query["certId"] == [certificate.code]
    assert query["certUrl"][0].endswith(verify_url(certificate.code))


def test_revoked_certificate_says_so_with_the_reason(client, certificate):
    certificate_revoke(certificate=certificate, reason="Payment refunded")
    html = client.get(verify_url(certificate.code)).content.decode()
    assert "revoked" in html.lower() and "Payment refunded" in html
    assert "linkedin.com" not in html


def test_unknown_and_malformed_codes_look_the_same(client, certificate):
    unknown = client.get(verify_url("ZZZZ-ZZZZ-ZZZZ-ZZZZ"))
    malformed = client.get(verify_url("not-a-code<script>"))
    assert unknown.status_code == malformed.status_code == 404
    assert "No such certificate" in unknown.content.decode()
    assert strip_csrf(unknown.content) == strip_csrf(malformed.content)
    assert certificate.learner_name not in unknown.content.decode()


def test_verification_is_rate_limited_per_ip(client, certificate, settings):
    for _ in range(30):
        assert client.get(verify_url("ZZZZ-ZZZZ-ZZZZ-ZZZZ")).status_code == 404
    limited = client.get(verify_url(certificate.code))
    assert limited.status_code == 429
    assert "Please wait a minute" in limited.content.decode()
    assert certificate.learner_name not in limited.content.decode()
    # another address is not affected
    assert client.get(verify_url(certificate.code), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_verification_page_query_count_is_fixed(client, certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(verify_url(certificate.code)).status_code == 200


def test_open_badges_json(client, user, certificate):
    response = client.get(reverse("certificates:verify_json", args=[certificate.code]))
    data = response.json()
    assert "OpenBadgeCredential" in data["type"]
    assert "name" not in data["credentialSubject"]  # the recipient is a salted hash, not a name
    assert data["credentialSubject"]["identifier"][0]["hashed"] is True
    assert data["credentialSubject"]["achievement"]["name"] == certificate.program_title
    assert user.email not in response.content.decode()
    assert certificate.learner_name not in response.content.decode()
    assert client.get(reverse("certificates:verify_json", args=["ZZZZ-ZZZZ-ZZZZ-ZZZZ"])).status_code == 404


def test_owner_requests_a_reissue_after_correcting_the_name(client, user, certificate):
    user.full_name = "Priya Raman-Shah"
    user.save()
    client.force_login(user)
    page = client.get(reverse("certificates:detail", args=[certificate.code])).content.decode()
    assert "Re-issue with my corrected name" in page
    response = client.post(reverse("certificates:reissue", args=[certificate.code]))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.learner_name == "Priya Raman-Shah"
    assert certificate.revisions.count() == 1


def test_owner_chooses_paper_size(client, user, certificate):
    client.force_login(user)
    client.post(reverse("certificates:paper_size", args=[certificate.code]), {"paper_size": "a4"})
    certificate.refresh_from_db()
    assert certificate.paper_size == "a4"
    client.post(reverse("certificates:paper_size", args=[certificate.code]), {"paper_size": "tabloid"})
    certificate.refresh_from_db()
    assert certificate.paper_size == "a4"


def test_dashboard_lists_the_users_certificates(client, user, other_user, certificate, program):
    certificate_issue(user=other_user, program=program, notify=False)
    client.force_login(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your certificates" in html
    assert download_url(certificate) in html
    assert html.count("/download/") == 1
    assert "New" in html  # just issued


def test_dashboard_panel_hidden_without_certificates(client, db):
    client.force_login(UserFactory())
    assert "Your certificates" not in client.get(reverse("accounts:dashboard")).content.decode()
