"""Newsletter sign-up, confirmation and unsubscribe. Responses never reveal whether an address
is subscribed, and the unsubscribe page never shows the address."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.core.ratelimit import client_ip, rate_limit_exceeded

from .forms import NewsletterSignupForm
from .models import NewsletterSubscriber
from .services import (
    CONSENT_WORDING,
    UNSUBSCRIBED_SINCE,
    newsletter_confirm,
    newsletter_subscribe,
    newsletter_unsubscribe,
    unsubscribed_since,
)
from .tokens import CONFIRM_MAX_AGE, CONFIRM_SALT, UNSUBSCRIBE_SALT, TokenError, issued_at, read_token
from .wording import CONFIRM_WORDING, signup_wording


# No CSRF token: pages carrying the footer form stay cacheable for anonymous visitors, and a forged
# sign-up can do no more than anyone can do directly (ask for a confirmation email to an address).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = NewsletterSignupForm(request.POST or None)
    context = {"form": form, "consent_wording": CONSENT_WORDING}
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", context)
    if form.data.get("website"):  # honeypot: look like success, change nothing
        return render(request, "newsletter/check_inbox.html", context)
    if rate_limit_exceeded(request, scope="newsletter", limit=10, window_seconds=600):
        form.is_valid()
        form.add_error(None, "Too many sign-ups from your network. Please try again in a few minutes.")
    elif form.is_valid():
        source = form.cleaned_data["source"] or "newsletter page"
        try:
            newsletter_subscribe(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                source=source,
                ip=client_ip(request),
                wording=signup_wording(request.POST.get("wording", ""), source=source),
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        else:
            return render(request, "newsletter/check_inbox.html", context)
    return render(request, "newsletter/subscribe.html", context, status=400)


def _subscriber(token: str, salt: str, max_age=None) -> NewsletterSubscriber:
    subscriber = NewsletterSubscriber.objects.filter(uuid=read_token(token, salt=salt, max_age=max_age)).first()
    if subscriber is None:
        raise TokenError("We could not find this subscription. It may have been removed.")
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows one button (mail scanners follow links); POST confirms."""
    try:
        subscriber = _subscriber(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    except TokenError as exc:
        return render(request, "newsletter/confirm.html", {"error": exc.message}, status=400)
    done = subscriber.status == NewsletterSubscriber.Status.CONFIRMED
    link_issued_at = issued_at(token)
    if not done and unsubscribed_since(subscriber, link_issued_at):  # an unsubscribe wins over an older link
        return render(request, "newsletter/confirm.html", {"error": UNSUBSCRIBED_SINCE}, status=400)
    if request.method == "POST" and not done:
        newsletter_confirm(subscriber=subscriber, ip=client_ip(request), link_issued_at=link_issued_at)
        done = True
    return render(request, "newsletter/confirm.html", {"done": done, "confirm_wording": CONFIRM_WORDING})


@csrf_exempt  # RFC 8058 one-click: the mail provider POSTs without our CSRF cookie; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        subscriber = _subscriber(token, UNSUBSCRIBE_SALT)
    except TokenError as exc:
        return render(request, "newsletter/unsubscribe.html", {"error": exc.message}, status=400)
    done = subscriber.status == NewsletterSubscriber.Status.UNSUBSCRIBED
    if request.method == "POST" and not done:
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        newsletter_unsubscribe(
            subscriber=subscriber, ip=client_ip(request), source="one-click header" if one_click else "unsubscribe page"
        )
        done = True
    return render(request, "newsletter/unsubscribe.html", {"done": done})
