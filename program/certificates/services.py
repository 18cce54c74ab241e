"""Certificate services: issue, revoke, re-issue, and the stored PDF.

Paper size: a learner whose time zone is in the Americas (`America/...`, plus Honolulu and
Manila) gets US Letter, everyone else A4; the learner can switch on their certificate page.
The stored PDF is regenerated only when `TEMPLATE_VERSION` or the printed data changes; brand
colours and logo are read at render time and do not by themselves trigger a new render.
"""

import base64
import hashlib
import io
import json
import secrets
import unicodedata
from datetime import date
from decimal import Decimal

import qrcode
import qrcode.constants
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from accounts.models import User
from home.core.mail import email_queue
from home.core.pdf import render_pdf
from home.models import SiteSettings
from program.models import Enrollment, ProgramPage

from .models import Certificate, CertificateRevision

TEMPLATE_VERSION = "2026.11-1"  # bump when templates/certificates/pdf/certificate.html changes visibly
LETTER_ZONES_OUTSIDE_AMERICA = {"Pacific/Honolulu", "Asia/Manila"}


class CertificateError(Exception):
    """A certificate action that cannot be done; the message is safe to show."""


# --- helpers -------------------------------------------------------------------------------


def site_settings():
    """The default site's SiteSettings (an unsaved default when no site exists yet)."""
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else SiteSettings()


def paper_size_for(user: User | None) -> str:
    zone = getattr(user, "time_zone", "") or ""
    if zone.startswith("America/") or zone in LETTER_ZONES_OUTSIDE_AMERICA:
        return Certificate.PaperSize.LETTER
    return Certificate.PaperSize.A4


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificates:verify", args=[certificate.code])


def normalise_code(raw: str) -> str:
    """Accept codes typed in lower case, with spaces or without dashes."""
    chars = "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:16]
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


# --- issue ---------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *,
    enrollment: Enrollment | None = None,
    user: User | None = None,
    learner_name: str = "",
    learner_email: str = "",
    program: ProgramPage | None = None,
    program_title: str = "",
    completed_on: date | None = None,
    hours: Decimal | None = None,
    issued_by: User | None = None,
    notify: bool = True,
) -> Certificate:
    """Issue a certificate and email it to the learner.

    With `enrollment` (automatic, on completion): idempotent, one certificate per enrollment;
    a second call returns the existing one. Without (the coach, e.g. for a live workshop): give
    `learner_name` or `user`, and `program` or `program_title`. Name, title, date, hours, coach
    and signature are frozen now."""
    if enrollment is not None:
        enrollment = Enrollment.objects.select_for_update().select_related("user", "program").get(pk=enrollment.pk)
        existing = Certificate.objects.filter(enrollment=enrollment).first()
        if existing:
            return existing
        user, program = enrollment.user, enrollment.program
        completed_on = completed_on or timezone.localdate(enrollment.completed_at or timezone.now())
    brand = site_settings()
    name = (learner_name or (user.get_full_name() if user else "")).strip()
    title = (program_title or (program.title if program else "")).strip()
    if not name:
        raise CertificateError("A certificate needs the learner's name.")
    if not title:
        raise CertificateError("A certificate needs a program or workshop title.")
    if hours is None and program is not None and program.estimated_hours:
        hours = program.estimated_hours
    signature = brand.coach_signature.file.name if brand.coach_signature_id else ""
    certificate = Certificate(
        enrollment=enrollment,
        user=user,
        program=program,
        learner_name=name,
        learner_email=learner_email or (user.email if user else ""),
        program_title=title,
        completed_on=completed_on or timezone.localdate(),
        hours=hours,
        coach_name=brand.coach_name,
        coach_signature=signature,
        issuer_name=brand.brand_name,
        issued_by=issued_by,
        paper_size=paper_size_for(user),
    )
    while Certificate.objects.filter(code=certificate.code).exists():  # 80 bits: practically never
        certificate.code = Certificate._meta.get_field("code").default()
    certificate.full_clean()
    certificate.save()
    if notify and certificate.learner_email:
        transaction.on_commit(lambda: certificate_email_send(certificate=certificate), robust=True)
    return certificate


def certificate_email_send(*, certificate: Certificate) -> None:
    """Tell the learner their certificate is ready (HTML and plain text)."""
    context = {
        "certificate": certificate,
        "verify_url": verification_url(certificate),
        "page_url": settings.SITE_URL + reverse("certificates:detail", args=[certificate.code]),
        "dashboard_url": settings.SITE_URL + reverse("accounts:dashboard"),
    }
    message = EmailMultiAlternatives(
        subject=f"Your certificate: {certificate.program_title}",
        body=render_to_string("certificates/email/certificate_issued.txt", context),
        to=[certificate.learner_email],
    )
    message.attach_alternative(render_to_string("certificates/email/certificate_issued.html", context), "text/html")
    email_queue(message)


# --- revoke and re-issue -----------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Mark the certificate revoked with a reason; its verification page says so from now on.
    Revoking a revoked certificate changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Say why the certificate is revoked.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_reason = reason[:255]
    certificate.revoked_at = timezone.now()
    certificate.full_clean()
    certificate.save(update_fields=["status", "revoked_reason", "revoked_at"])
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, new_name: str, requested_by: User | None = None) -> Certificate:
    """Re-issue under a corrected name: same code, same completion date; the old name is kept
    in the revision history and the PDF is regenerated on the next download."""
    new_name = (new_name or "").strip()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_valid:
        raise CertificateError("A revoked certificate cannot be re-issued.")
    if not new_name:
        raise CertificateError("Add your full name to your profile first.")
    if new_name == certificate.learner_name:
        raise CertificateError("The certificate already shows this name.")
    revision = CertificateRevision(
        certificate=certificate, old_name=certificate.learner_name, new_name=new_name, requested_by=requested_by
    )
    revision.full_clean()
    revision.save()
    certificate.learner_name = new_name
    certificate.full_clean()
    certificate.save(update_fields=["learner_name"])
    return certificate


@transaction.atomic
def certificate_set_paper_size(*, certificate: Certificate, paper_size: str) -> Certificate:
    """The learner's choice of A4 or Letter; the PDF follows on the next download."""
    if paper_size not in Certificate.PaperSize.values:
        raise CertificateError("Choose A4 or US Letter.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    certificate.paper_size = paper_size
    certificate.save(update_fields=["paper_size"])
    return certificate


# --- the PDF -------------------------------------------------------------------------------


def certificate_content_hash(certificate: Certificate) -> str:
    """What the PDF depends on: the template version and every printed field."""
    data = {
        "v": TEMPLATE_VERSION,
        "code": certificate.code,
        "name": certificate.learner_name,
        "title": certificate.program_title,
        "date": certificate.completed_on.isoformat(),
        "hours": str(certificate.hours) if certificate.hours is not None else "",
        "coach": certificate.coach_name,
        "signature": certificate.coach_signature,
        "issuer": certificate.issuer_name,
        "status": certificate.status,
        "paper": certificate.paper_size,
        "url": verification_url(certificate),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def qr_data_uri(url: str) -> str:
    """The QR code as a PNG data URI. PNG, not SVG: WeasyPrint parses a QR's SVG path in about
    a third of a second, a PNG in a millisecond; 8-pixel modules print sharply at 22 mm."""
    image = qrcode.make(url, box_size=8, border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _visual_length(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def name_font_size(name: str) -> int:
    """Points for the learner's name: long names shrink so they stay on the page."""
    length = _visual_length(name)
    for limit, size in ((24, 44), (34, 36), (48, 28), (80, 20), (130, 15)):
        if length <= limit:
            return size
    return 12


def text_direction(text: str) -> str:
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def certificate_pdf_context(certificate: Certificate) -> dict:
    brand = site_settings()
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "brand": brand,
        "logo_url": settings.MEDIA_URL + brand.logo.file.name if brand.logo_id else "",
        "signature_url": settings.MEDIA_URL + certificate.coach_signature if certificate.coach_signature else "",
        "verify_url": url,
        "verify_url_display": url.split("://", 1)[-1],
        "qr_src": qr_data_uri(url),
        "name_size": name_font_size(certificate.learner_name),
        "name_dir": text_direction(certificate.learner_name),
        "title_dir": text_direction(certificate.program_title),
        "page_size": "letter landscape" if certificate.paper_size == Certificate.PaperSize.LETTER else "A4 landscape",
    }


def certificate_pdf_render(certificate: Certificate) -> bytes:
    """Render without storing (the benchmark and previews use this)."""
    return render_pdf(template="certificates/pdf/certificate.html", context=certificate_pdf_context(certificate))


def certificate_pdf(*, certificate: Certificate) -> Certificate:
    """Make sure `certificate.pdf` holds an up-to-date PDF: rendered once, stored in default
    storage, and rendered again only when the template version or the printed data changed."""
    content_hash = certificate_content_hash(certificate)
    if certificate.pdf and certificate.pdf_content_hash == content_hash:
        return certificate
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        content_hash = certificate_content_hash(certificate)
        if certificate.pdf and certificate.pdf_content_hash == content_hash:
            return certificate  # a parallel request rendered it meanwhile
        old_name = certificate.pdf.name if certificate.pdf else ""
        pdf_bytes = certificate_pdf_render(certificate)
        # A random file name: the stored file must not be guessable from the public code.
        certificate.pdf.save(f"{secrets.token_urlsafe(16)}.pdf", ContentFile(pdf_bytes), save=False)
        certificate.pdf_template_version = TEMPLATE_VERSION
        certificate.pdf_content_hash = content_hash
        certificate.save(update_fields=["pdf", "pdf_template_version", "pdf_content_hash"])
        if old_name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return certificate
