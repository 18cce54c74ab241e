"""Thin views: the registration form on the webinar page, and the signed cancel and join links."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from home.core.ratelimit import client_ip, rate_limit_exceeded, rate_limit_hit
from home.newsletter.services import newsletter_subscribe

from .forms import WebinarRegistrationForm
from .models import WebinarRegistration
from .selectors import webinar_page_data
from .services import webinar_join, webinar_register, webinar_registration_cancel
from .tokens import CANCEL_SALT, JOIN_SALT, TokenError, read_token

# Registrations per 10 minutes. Per address and per browser session, so one office behind one
# IP (or the whole site behind a proxy) is not limited as one person; the per-IP ceiling is only
# there against a flood.
RATE_WINDOW_SECONDS = 600
RATE_PER_ADDRESS = 5
RATE_PER_SESSION = 10
RATE_PER_IP = 300
TOO_MANY_FROM_SESSION = "You have registered several times in a few minutes. Please try again in 10 minutes."
TOO_MANY_FOR_ADDRESS = (
    "This email address was registered several times in the last few minutes. Please look for the "
    "confirmation in your inbox (and spam folder), or try again in 10 minutes."
)
TOO_MANY_FROM_NETWORK = "Too many registrations from your network right now. Please try again in a few minutes."


def _registration_limited(request, email: str | None) -> str:
    """The message to show when this attempt is over a limit, else "". Counts the attempt."""
    if rate_limit_exceeded(request, scope="webinar-register-ip", limit=RATE_PER_IP, window_seconds=RATE_WINDOW_SECONDS):
        return TOO_MANY_FROM_NETWORK
    window = {"window_seconds": RATE_WINDOW_SECONDS}
    if rate_limit_hit(scope="webinar-register-session", key=_browser_key(request), limit=RATE_PER_SESSION, **window):
        return TOO_MANY_FROM_SESSION
    if email and rate_limit_hit(
        scope="webinar-register-address", key=email.strip().lower(), limit=RATE_PER_ADDRESS, **window
    ):
        return TOO_MANY_FOR_ADDRESS
    return ""


def _browser_key(request) -> str:
    """One browser: its session, or for a visitor without one the CSRF cookie this POST passed with
    (creating a session only to count would cost three writes). Either can be dropped by its owner,
    which the per-IP ceiling is there for."""
    csrf_cookie = request.META.get("CSRF_COOKIE") or ""
    if request.session.session_key or not csrf_cookie:
        if not request.session.session_key:
            request.session.save()  # no CSRF cookie to tell browsers apart (a client exempt from CSRF)
        return f"session:{request.session.session_key}"
    return "csrf:" + hashlib.sha256(csrf_cookie.encode()).hexdigest()


def _initial(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.full_name, "email": user.email, "company": user.company, "role": user.job_title}


def webinar_page_serve(page, request, default_serve, *args, **kwargs):
    if request.method != "POST":
        data = webinar_page_data(page=page)
        form = WebinarRegistrationForm(initial=_initial(request), sessions=data["open_sessions"])
        response = default_serve(request, *args, form=form, webinar_data=data, **kwargs)
        add_never_cache_headers(response)  # live seat counts and a per-visitor CSRF token: never shared
        return response

    all_sessions = list(page.sessions.all())  # validate against every session: a closed one gets a clear error
    form = WebinarRegistrationForm(request.POST, sessions=all_sessions)
    if form.is_bot:  # look like success, change nothing
        messages.success(request, "Thank you. Please check your inbox for the confirmation.")
        return HttpResponseRedirect(page.url)
    valid = form.is_valid()
    limited = _registration_limited(request, form.cleaned_data.get("email") if valid else None)
    if limited:
        form.add_error(None, limited)
    elif valid:
        data = form.cleaned_data
        try:
            registration = webinar_register(
                session_id=data["session"],
                email=data["email"],
                name=data["name"],
                company=data["company"],
                role=data["role"],
                team_size=data["team_size"],
                question=data["question"],
                time_zone=data["time_zone"] or (request.user.time_zone if request.user.is_authenticated else ""),
                user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if data["newsletter"]:
                _newsletter_signup(
                    request, email=data["email"], name=data["name"], source=f"webinar form: {page.title}"
                )
            if registration.status == WebinarRegistration.Status.REGISTERED:
                messages.success(
                    request, "You're registered. Check your inbox for the confirmation and calendar invitation."
                )
            else:
                messages.info(
                    request,
                    "That session is full, so you're on the waitlist. We'll email you the moment a seat opens.",
                )
            return HttpResponseRedirect(page.url)
    response = default_serve(request, *args, form=form, **kwargs)
    response.status_code = 400
    return response


def _newsletter_signup(request, *, email: str, name: str, source: str) -> None:
    newsletter_subscribe(
        email=email,
        first_name=name.split(" ")[0],
        source=source,
        ip=client_ip(request),
        wording=str(WebinarRegistrationForm.base_fields["newsletter"].label),  # the box they ticked, word for word
    )


def _registration_from(token: str, salt: str) -> WebinarRegistration:
    registration_uuid = read_token(token, salt=salt)
    registration = WebinarRegistration.objects.select_related("session__page").filter(uuid=registration_uuid).first()
    if registration is None:
        raise TokenError("We could not find this registration. It may have been removed.")
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def webinar_cancel(request, token: str):
    """GET shows one button (mail scanners follow links, so GET changes nothing); POST cancels."""
    try:
        registration = _registration_from(token, CANCEL_SALT)
    except TokenError as exc:
        return render(request, "webinars/cancel.html", {"error": exc.message}, status=400)
    context = {"registration": registration, "session": registration.session, "page": registration.session.page}
    if registration.status == WebinarRegistration.Status.CANCELLED:
        context["done"] = True
        return render(request, "webinars/cancel.html", context)
    if registration.session.starts_at <= timezone.now():
        context["error"] = "This session has already taken place, so there is nothing to cancel."
        return render(request, "webinars/cancel.html", context, status=400)
    if request.method == "POST":
        try:
            webinar_registration_cancel(registration=registration)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            return render(request, "webinars/cancel.html", context, status=400)
        context["done"] = True
    return render(request, "webinars/cancel.html", context)


@never_cache
@require_http_methods(["GET"])
def webinar_join_redirect(request, token: str):
    """The signed, per-registration join link from emails: records attendance, then redirects."""
    try:
        registration = _registration_from(token, JOIN_SALT)
        join_url = webinar_join(registration=registration)
    except TokenError as exc:
        return render(request, "webinars/join.html", {"error": exc.message}, status=400)
    except ValidationError as exc:
        return render(request, "webinars/join.html", {"error": exc.messages[0]}, status=400)
    return redirect(join_url)
