"""Response headers that protect the site: Content-Security-Policy (django-csp), Permissions-Policy,
and `Cache-Control: private, no-store` on every page shown to a logged-in person.

The public site and the app run under `CONTENT_SECURITY_POLICY` (scripts only from our own origin,
no inline scripts). Wagtail's and Django's admin areas (`CSP_ADMIN_PREFIXES`) render inline scripts
of their own, so they get `CSP_ADMIN_DIRECTIVES`, looser for scripts and still closed to other origins.
"""

import time
from dataclasses import dataclass

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import http_date


def _is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(getattr(settings, "CSP_ADMIN_PREFIXES", ())))


# The headers when nothing is per response (no view decorator, no nonce used): built once per
# process (django-csp's own `build_policy` for the policies), forgotten when a setting changes
# (tests). Building them costs about a tenth of a bare request, on every response.
_PER_RESPONSE = frozenset(
    ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
)
_HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


@dataclass(frozen=True)
class _Plan:
    admin_prefixes: tuple[str, ...]
    permissions_policy: str
    # by admin area: (header, policy, exempt attribute, excluded path prefixes) for each policy set
    policies: dict[bool, tuple[tuple[str, str, str, tuple[str, ...]], ...]]


_plans: list[_Plan] = []


@receiver(setting_changed)
def _forget_policies(**kwargs) -> None:
    _plans.clear()


def _plan() -> _Plan:
    if not _plans:
        policies = {}
        for admin in (False, True):
            policies[admin] = []
            for header, report_only, exempt, setting in _HEADERS:
                config = settings.CSP_ADMIN_DIRECTIVES if admin and not report_only else None
                policy = build_policy(config=config, report_only=report_only)
                if policy:
                    prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
                    policies[admin].append((header, policy, exempt, prefixes))
        _plans.append(
            _Plan(
                admin_prefixes=tuple(getattr(settings, "CSP_ADMIN_PREFIXES", ())),
                permissions_policy=getattr(settings, "PERMISSIONS_POLICY", ""),
                policies={admin: tuple(plan) for admin, plan in policies.items()},
            )
        )
    return _plans[0]


# One object for every request (it never evaluates: it raises), set once the header is written.
_NONCE_AFTER_RESPONSE = CheckableLazyObject(CSPMiddleware._csp_nonce_post_response)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy strings built once, and Permissions-Policy; and
    `Cache-Control: private, no-store` on every page made for a logged-in person (their name in the
    header, their dashboard, tracker, certificates, billing...): never stored by a browser cache or
    a proxy. One middleware for both (one layer less on every request, as the two were next to each
    other); it sits above the session middleware, so page-cache hits for anonymous visitors (no
    `request.user`) pass untouched."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        self.process_request(request)
        response = self.get_response(request)
        if not known_anonymous(request) and request.user.is_authenticated:
            never_cache(response)
        return self.process_response(request, response)

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if self._per_response(request, response):
            response = super().process_response(request, response)
        else:  # django-csp's process_response, with the policy strings built once
            path = request.path_info
            plan = _plan()
            for header, policy, exempt, prefixes in plan.policies[path.startswith(plan.admin_prefixes)]:
                if (
                    header not in response
                    and getattr(response, exempt, False) is False
                    and not (prefixes and path.startswith(prefixes))
                ):
                    response[header] = policy
            request.csp_nonce = _NONCE_AFTER_RESPONSE
        policy = _plan().permissions_policy
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response

    @staticmethod
    def _per_response(request: HttpRequest, response: HttpResponseBase) -> bool:
        """Does this response need django-csp's full path: a view's own policy, a nonce used, or
        the debug pages django-csp leaves alone?"""
        if isinstance(request.__dict__.get("_csp_nonce"), str):
            return True
        if response.status_code in (404, 500) and settings.DEBUG:
            return True
        return not _PER_RESPONSE.isdisjoint(response.__dict__)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = settings.CSP_ADMIN_DIRECTIVES
        return parts


NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
_expires: tuple[int, str] = (0, "")


def never_cache(response: HttpResponseBase) -> None:
    """Django's `add_never_cache_headers` and `patch_vary_headers(response, ("Cookie",))`, with the
    headers written directly when the response has none of its own to merge with (the usual case):
    the same headers for a fraction of the cost, paid on every signed-in response."""
    global _expires
    headers = response.headers
    if "Cache-Control" in headers or "Expires" in headers:
        add_never_cache_headers(response)  # private, no-store, no-cache, must-revalidate, max-age=0
    else:
        now = int(time.time())
        if _expires[0] != now:
            _expires = (now, http_date(now))
        headers["Expires"] = _expires[1]
        headers["Cache-Control"] = NEVER_CACHE
    if headers.get("Vary") != "Cookie":
        patch_vary_headers(response, ("Cookie",))


def known_anonymous(request: HttpRequest) -> bool:
    """True when nobody can be logged in for this request, known without loading a user: no
    `request.user` at all (a page-cache hit), or a request that came without a session cookie and
    whose user nobody has set since (a log-in replaces the lazy user with the real one)."""
    user = request.__dict__.get("user")
    if user is None:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return isinstance(user, SimpleLazyObject) and user._wrapped is empty


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
            or (request.META.get("QUERY_STRING") and _has_nul(request.GET))
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
