"""Certificate services: issue on completion, frozen data, codes, revoke, re-issue, stored PDF."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from program.certificates import services as certificates
from program.certificates.models import Certificate, CertificateRevision
from program.certificates.services import (
    CertificateError,
    certificate_issue,
    certificate_pdf,
    certificate_reissue,
    certificate_revoke,
    paper_size_for,
)
from program.models import Enrollment, ProgramPage
from program.services import enrollment_grant, enrollment_revoke
from program.signals import program_completed
from tests.factories import UserFactory

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture
def program(home_page) -> ProgramPage:
    page = ProgramPage(
        title="9 Steps to Leading a Rock Star Sales Team",
        slug="nine-steps",
        promise="Lead a team that hits its numbers every month.",
        estimated_hours=Decimal("12.5"),
    )
    home_page.add_child(instance=page)
    return page


def complete(enrollment: Enrollment, capture, *, times: int = 1) -> None:
    """What the lessons helper does: record completion and send the signal (here possibly twice)."""
    with capture(execute=True):
        enrollment.completed_at = timezone.now()
        enrollment.save(update_fields=["completed_at"])
        for _ in range(times):
            program_completed.send(sender=Enrollment, enrollment=enrollment)


@pytest.fixture
def enrollment(user, program):
    return enrollment_grant(user=user, program=program, source=Enrollment.Source.MANUAL, reason="test")


def test_completion_issues_one_certificate_even_if_signalled_twice(enrollment, django_capture_on_commit_callbacks):
    complete(enrollment, django_capture_on_commit_callbacks, times=2)
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment and certificate.user == enrollment.user
    assert certificate.is_valid
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrollment.user.email]
    assert certificate.code in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    # a later signal (e.g. completion re-recorded) still changes nothing
    complete(enrollment, django_capture_on_commit_callbacks)
    assert Certificate.objects.count() == 1 and len(mail.outbox) == 1


def test_certificate_freezes_what_it_prints(enrollment, program, django_capture_on_commit_callbacks):
    complete(enrollment, django_capture_on_commit_callbacks)
    user = enrollment.user
    original_name = user.full_name
    user.full_name = "Someone Else"
    user.save()
    program.title = "A renamed program"
    program.estimated_hours = Decimal("40")
    program.save()
    certificate = Certificate.objects.get()
    assert certificate.learner_name == original_name
    assert certificate.program_title == "9 Steps to Leading a Rock Star Sales Team"
    assert certificate.hours == Decimal("12.5")
    assert certificate.completed_on == timezone.localdate(enrollment.completed_at)
    assert certificate.issuer_name == "Huddle"


def test_codes_are_unique_random_and_not_sequential(program):
    codes = [certificate_issue(user=UserFactory(), program=program, notify=False).code for _ in range(25)]
    assert len(set(codes)) == 25
    assert all(CODE.match(code) for code in codes)
    # not an incrementing id: consecutive codes share no long common prefix
    assert sum(a[:4] == b[:4] for a, b in zip(codes, codes[1:], strict=False)) < 3


def test_manual_issue_for_a_workshop_needs_no_enrollment_or_account(db, home_page):
    certificate = certificate_issue(
        learner_name="Ana Lucía Torres",
        learner_email="ana@example.com",
        program_title="Live workshop: Running the monthly 1:1",
        completed_on=date(2026, 10, 3),
        hours=Decimal("3"),
    )
    assert certificate.user is None and certificate.enrollment is None
    assert certificate.program_title == "Live workshop: Running the monthly 1:1"
    assert certificate.paper_size == Certificate.PaperSize.A4  # no time zone known: A4


def test_manual_issue_without_a_name_is_refused(db, home_page):
    with pytest.raises(CertificateError):
        certificate_issue(program_title="Workshop")
    assert not Certificate.objects.exists()


def test_refund_revokes_the_certificate_with_reason(enrollment, django_capture_on_commit_callbacks):
    complete(enrollment, django_capture_on_commit_callbacks)
    enrollment_revoke(enrollment=enrollment, reason="Stripe refund re_123")
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.REVOKED
    assert "refund" in certificate.revoked_reason.lower()
    assert certificate.revoked_at is not None


def test_access_ending_without_refund_keeps_the_certificate(enrollment, django_capture_on_commit_callbacks):
    complete(enrollment, django_capture_on_commit_callbacks)
    enrollment_revoke(enrollment=enrollment, reason="Company seat removed")
    assert Certificate.objects.get().is_valid


def test_revoke_needs_a_reason_and_is_idempotent(program, user):
    certificate = certificate_issue(user=user, program=program, notify=False)
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, reason="  ")
    first = certificate_revoke(certificate=certificate, reason="Issued by mistake")
    second = certificate_revoke(certificate=certificate, reason="Another reason")
    assert second.revoked_reason == "Issued by mistake" and second.revoked_at == first.revoked_at


def test_reissue_keeps_code_and_date_and_records_history(program, user):
    certificate = certificate_issue(user=user, program=program, completed_on=date(2026, 3, 9), notify=False)
    old_name = certificate.learner_name
    reissued = certificate_reissue(certificate=certificate, new_name="Priya R. Raman", requested_by=user)
    assert reissued.code == certificate.code
    assert reissued.completed_on == date(2026, 3, 9)
    assert reissued.learner_name == "Priya R. Raman"
    revision = CertificateRevision.objects.get()
    assert (revision.old_name, revision.new_name, revision.requested_by) == (old_name, "Priya R. Raman", user)
    with pytest.raises(CertificateError):  # same name again: nothing to do
        certificate_reissue(certificate=reissued, new_name="Priya R. Raman")
    assert CertificateRevision.objects.count() == 1


def test_revoked_certificate_cannot_be_reissued(program, user):
    certificate = certificate_issue(user=user, program=program, notify=False)
    certificate_revoke(certificate=certificate, reason="Refunded")
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=certificate, new_name="New Name")


def test_pdf_is_stored_once_and_regenerated_only_on_change(
    program, user, monkeypatch, django_capture_on_commit_callbacks
):
    certificate = certificate_issue(user=user, program=program, notify=False)
    first = certificate_pdf(certificate=certificate)
    name = first.pdf.name
    assert name.startswith("certificates/") and certificate.code not in name
    assert first.pdf.storage.exists(name)
    rendered = []
    real_render = certificates.certificate_pdf_render
    monkeypatch.setattr(certificates, "certificate_pdf_render", lambda c: rendered.append(c) or real_render(c))

    again = certificate_pdf(certificate=Certificate.objects.get(pk=certificate.pk))
    assert again.pdf.name == name and rendered == []

    reissued = certificate_reissue(certificate=again, new_name="Corrected Name")
    with django_capture_on_commit_callbacks(execute=True):
        with_new_name = certificate_pdf(certificate=reissued)
    assert len(rendered) == 1 and with_new_name.pdf.name != name
    assert not with_new_name.pdf.storage.exists(name)  # the stale file is removed

    monkeypatch.setattr(certificates, "TEMPLATE_VERSION", "test-next")
    new_template = certificate_pdf(certificate=Certificate.objects.get(pk=certificate.pk))
    assert len(rendered) == 2 and new_template.pdf_template_version == "test-next"


def test_paper_size_follows_the_time_zone():
    assert paper_size_for(UserFactory.build(time_zone="America/Chicago")) == "letter"
    assert paper_size_for(UserFactory.build(time_zone="Europe/Paris")) == "a4"
    assert paper_size_for(UserFactory.build(time_zone="Asia/Tokyo")) == "a4"
    assert paper_size_for(None) == "a4"
