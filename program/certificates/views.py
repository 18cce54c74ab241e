"""Certificate pages: the owner's page and download, the public verification page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from home.core.ratelimit import rate_limit_exceeded

from .credentials import (
    CONTEXT,
    credential_check,
    issuer_profile,
    open_badge,
    signed_credential,
    signed_status_list,
)
from .forms import CredentialCheckForm
from .models import Certificate
from .selectors import certificate_for_owner, certificate_for_verification
from .services import (
    CertificateError,
    certificate_pdf,
    certificate_reissue,
    certificate_set_paper_size,
    normalise_code,
    site_settings,
    verification_url,
)
from .signing import public_key_set

VERIFY_RATE = getattr(settings, "CERTIFICATE_VERIFY_RATE", 30)  # lookups per IP per minute
VC_JWT_MEDIA_TYPE = "application/vc+jwt"


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
    base = verification_url(certificate).removesuffix("/")
    return render(
        request,
        "certificates/certificate_verify.html",
        {
            "certificate": certificate,
            "linkedin_url": linkedin_url(certificate) if certificate.is_valid else "",
            "json_url": base + ".json",
            "jwt_url": base + ".jwt",
            # The same check an outside verifier makes: sign, then verify against the published key.
            "check": credential_check(signed_credential(certificate), known=certificate),
        },
    )


@require_GET
def verify_json(request, code):
    """The certificate as an Open Badges 3.0 OpenBadgeCredential, readable JSON. The signed
    form of the same credential is the `.jwt` next to it."""
    certificate, limited = _lookup(request, code)
    if limited:
        return JsonResponse({"error": "Too many lookups; try again in a minute."}, status=429)
    if certificate is None:
        return JsonResponse({"error": "No such certificate."}, status=404)
    return JsonResponse(open_badge(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def verify_jwt(request, code):
    """The signed credential (VC-JWT), as a download a holder can keep and anyone can verify."""
    certificate, limited = _lookup(request, code)
    if limited:
        return limited
    if certificate is None:
        return render(request, "certificates/certificate_unknown.html", status=404)
    response = HttpResponse(signed_credential(certificate), content_type=VC_JWT_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="credential-{certificate.code}.jwt"'
    return response


@require_GET
def issuer(request):
    """The issuer's Profile (the credential's `issuer.id`), with where its keys are."""
    profile = issuer_profile(site_settings().brand_name)
    profile["@context"] = CONTEXT
    profile["publicKeys"] = settings.SITE_URL + reverse("certificates:jwks")
    return JsonResponse(profile, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def jwks(request):
    response = JsonResponse(public_key_set(), json_dumps_params={"indent": 2})
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    return response


@require_GET
def status_list(request):
    """The revocation list (a signed BitstringStatusListCredential), fresh on every request."""
    response = HttpResponse(signed_status_list(), content_type=VC_JWT_MEDIA_TYPE)
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "POST"])
def check(request):
    """Paste a credential (the .jwt file's text) and see whether it is genuine and still valid."""
    form = CredentialCheckForm(request.POST or None)
    result = None
    if request.method == "POST":
        if rate_limit_exceeded(request, scope="cert-verify", limit=VERIFY_RATE, window_seconds=60):
            response = render(request, "certificates/rate_limited.html", status=429)
            response["Retry-After"] = "60"
            return response
        if form.is_valid():
            result = credential_check(form.cleaned_data["credential"])
    return render(request, "certificates/credential_check.html", {"form": form, "result": result})


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add to profile" link. With the coach's LinkedIn organization id (Settings),
    the certification links to the company page instead of a bare name."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.program_title,
        "issueYear": certificate.completed_on.year,
        "issueMonth": certificate.completed_on.month,
        "certUrl": verification_url(certificate),
        "certId": certificate.code,
    }
    organization_id = site_settings().linkedin_organization_id
    if organization_id:
        params["organizationId"] = organization_id
    else:
        params["organizationName"] = certificate.issuer_name
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
