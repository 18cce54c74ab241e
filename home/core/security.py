"""Response headers that protect the site: Content-Security-Policy (django-csp), Permissions-Policy,
and `Cache-Control: private, no-store` on every page shown to a logged-in person.

The public site and the app run under `CONTENT_SECURITY_POLICY` (scripts only from our own origin,
no inline scripts). Wagtail's and Django's admin areas (`CSP_ADMIN_PREFIXES`) render inline scripts
of their own, so they get `CSP_ADMIN_DIRECTIVES`, looser for scripts and still closed to other origins.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers


def _is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(getattr(settings, "CSP_ADMIN_PREFIXES", ())))


# The policy strings when nothing is per response (no view decorator, no nonce used): built once per
# process by django-csp's own `build_policy`, by (admin area, report-only); cleared when a setting
# changes (tests). Building them costs about a tenth of a bare request, on every response.
_POLICIES: dict[tuple[bool, bool], str] = {}
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


@receiver(setting_changed)
def _forget_policies(**kwargs) -> None:
    _POLICIES.clear()


def _policy(admin: bool, report_only: bool) -> str:
    key = (admin, report_only)
    if key not in _POLICIES:
        config = settings.CSP_ADMIN_DIRECTIVES if admin and not report_only else None
        _POLICIES[key] = build_policy(config=config, report_only=report_only)
    return _POLICIES[key]


class SecurityHeadersMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if self._per_response(request, response):
            response = super().process_response(request, response)
        else:  # django-csp's process_response, with the policy strings built once
            admin = _is_admin(request)
            for header, report_only, exempt, setting in _HEADERS:
                policy = _policy(admin, report_only)
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
                if (
                    policy
                    and header not in response
                    and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(tuple(prefixes))
                ):
                    response[header] = policy
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response

    @staticmethod
    def _per_response(request: HttpRequest, response: HttpResponseBase) -> bool:
        """Does this response need django-csp's full path: a view's own policy, a nonce used, or
        the debug pages django-csp leaves alone?"""
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return True
        if settings.DEBUG and response.status_code in (404, 500):
            return True
        return any(hasattr(response, name) for name in _PER_RESPONSE)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = settings.CSP_ADMIN_DIRECTIVES
        return parts


class PrivatePagesMiddleware:
    """A page made for a logged-in person (their name in the header, their dashboard, tracker,
    certificates, billing...) is never stored by a browser cache or a proxy. Sits above the
    session middleware, so page-cache hits for anonymous visitors (no `request.user`) pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # private, no-store, no-cache, must-revalidate, max-age=0
            patch_vary_headers(response, ("Cookie",))
        return response


class RejectNulCharactersMiddleware:
    """A NUL character in the path, a query string or a form field is refused with 400 before any
    view runs. PostgreSQL cannot store NUL in text, so one reaching a query or a save would be a 500.
    Django's forms already refuse it (`ProhibitNullCharactersValidator` on every CharField), but views
    that read `request.POST` directly and model `full_clean()` do not: this is the one place that
    covers them all. Uploaded files are not inspected here (their readers decide)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            "\x00" in request.path_info
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
