"""Certificate pages: the owner's page and download, the public verification page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from home.core.ratelimit import rate_limit_exceeded

from .models import Certificate
from .selectors import certificate_for_owner, certificate_for_verification
from .services import (
    CertificateError,
    certificate_pdf,
    certificate_reissue,
    certificate_set_paper_size,
    normalise_code,
    verification_url,
)

VERIFY_RATE = getattr(settings, "CERTIFICATE_VERIFY_RATE", 30)  # lookups per IP per minute


def _owned_or_404(request, code: str) -> Certificate:
    certificate = certificate_for_owner(user=request.user, code=normalise_code(code))
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


@login_required
@require_GET
def detail(request, code):
    certificate = _owned_or_404(request, code)
    profile_name = request.user.get_full_name() if certificate.user_id == request.user.pk else ""
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": verification_url(certificate),
            "linkedin_url": linkedin_url(certificate),
            "profile_name": profile_name,
            "can_reissue": certificate.is_valid and profile_name and profile_name != certificate.learner_name,
            "paper_sizes": Certificate.PaperSize.choices,
        },
    )


@login_required
@require_GET
def download(request, code):
    certificate = certificate_pdf(certificate=_owned_or_404(request, code))
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def reissue(request, code):
    certificate = _owned_or_404(request, code)
    if certificate.user_id != request.user.pk:
        raise Http404("No such certificate.")
    try:
        certificate_reissue(certificate=certificate, new_name=request.user.get_full_name(), requested_by=request.user)
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your certificate now shows your corrected name. Same code, same date.")
    return redirect("certificates:detail", code=certificate.code)


@login_required
@require_POST
def paper_size(request, code):
    certificate = _owned_or_404(request, code)
    try:
        certificate_set_paper_size(certificate=certificate, paper_size=request.POST.get("paper_size", ""))
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Paper size saved. Your next download uses it.")
    return redirect("certificates:detail", code=certificate.code)


# --- public verification -----------------------------------------------------------------


def _lookup(request, code: str):
    """Returns (certificate or None, response or None). Unknown and malformed codes take the
    same path: one indexed query, the same 404 page."""
    # A fixed one-minute window per IP, against guessing codes.
    if rate_limit_exceeded(request, scope="cert-verify", limit=VERIFY_RATE, window_seconds=60):
        response = render(request, "certificates/rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return None, response
    return certificate_for_verification(code=normalise_code(code)), None


@require_GET
def verify(request, code):
    certificate, limited = _lookup(request, code)
    if limited:
        return limited
    if certificate is None:
        return render(request, "certificates/certificate_unknown.html", status=404)
    return render(
        request,
        "certificates/certificate_verify.html",
        {
            "certificate": certificate,
            "linkedin_url": linkedin_url(certificate) if certificate.is_valid else "",
            "json_url": verification_url(certificate).removesuffix("/") + ".json",
        },
    )


@require_GET
def verify_json(request, code):
    """The certificate as an Open Badges 3.0 OpenBadgeCredential. It is NOT signed (no proof):
    it mirrors the verification page, which remains the authority."""
    certificate, limited = _lookup(request, code)
    if limited:
        return JsonResponse({"error": "Too many lookups; try again in a minute."}, status=429)
    if certificate is None:
        return JsonResponse({"error": "No such certificate."}, status=404)
    return JsonResponse(open_badge(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2})


def linkedin_url(certificate: Certificate) -> str:
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.program_title,
        "organizationName": certificate.issuer_name,
        "issueYear": certificate.completed_on.year,
        "issueMonth": certificate.completed_on.month,
        "certUrl": verification_url(certificate),
        "certId": certificate.code,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def open_badge(certificate: Certificate) -> dict:
    url = verification_url(certificate)
    issuer_url = settings.SITE_URL + "/"
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificate of completion: {certificate.program_title}",
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": certificate.issuer_name},
        "validFrom": certificate.issued_at.isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.learner_name,
            "achievement": {
                "id": f"{issuer_url}#achievement-{certificate.program_id or 'workshop'}",
                "type": ["Achievement"],
                "name": certificate.program_title,
                "description": f"Completed {certificate.program_title} on {certificate.completed_on:%B %-d, %Y}.",
                "criteria": {"narrative": "Completed every required lesson and knowledge check."},
                "achievementType": "Certificate",
            },
        },
        "credentialStatus": {"id": url, "type": "HuddleVerificationPage", "status": certificate.status},
        "huddle:note": "Unsigned: check the status on the verification page (id).",
    }
    if certificate.hours:
        document["credentialSubject"]["achievement"]["huddle:hours"] = str(certificate.hours)
    return document
