"""One door in: allauth's log-in form is the only form that turns a password into a session.

Wagtail's admin log-in (`/admin/login/`), its page-privacy log-in (`/_util/login/`) and the Django
admin's log-in (`/django-admin/login/`) would each check a password by themselves, without allauth's
rules (a verified address, rate limits, the per-account lockout). `to_account_login` takes their URLs:
it never reads a password, it sends an anonymous visitor to allauth's form with the same `next`, and
tells a logged-in visitor who was sent here for lack of access that the area is not theirs (a
redirect would loop: allauth sends a logged-in visitor straight back to `next`).
"""

from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


def safe_next(request: HttpRequest) -> str:
    """The `next` of the request when it points inside this site, else ""."""
    candidate = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


@never_cache
def to_account_login(request: HttpRequest, *args, **kwargs) -> HttpResponseRedirect:
    if request.user.is_authenticated:
        raise PermissionDenied("You are logged in, and this area is not open to your account.")
    url = reverse("account_login")
    next_url = safe_next(request)
    if next_url:
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(url)


def admin_site_login(request: HttpRequest, extra_context=None):
    """`admin.site.login`: the same door (AdminSite calls it with `extra_context`)."""
    return to_account_login(request)
