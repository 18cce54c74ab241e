"""The CSP middleware's fast path (policy strings built once per process) writes exactly what
django-csp itself writes, and leaves every per-response case to django-csp."""

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from home.core.security import SecurityHeadersMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only", "Permissions-Policy")


def _both(path: str, response_attrs: dict | None = None, use_nonce: bool = False) -> tuple[dict, dict]:
    """The headers our middleware writes, and those django-csp's own process_response writes."""
    out = []
    for full in (False, True):
        request = RequestFactory().get(path)
        response = HttpResponse("ok")
        for name, value in (response_attrs or {}).items():
            setattr(response, name, value)
        middleware = SecurityHeadersMiddleware(HttpResponse)
        middleware.process_request(request)
        if use_nonce:
            request._csp_nonce = "fixed-nonce"
        if full:  # django-csp's own path, with our admin policy choice
            response = CSPMiddleware.process_response(middleware, request, response)
            response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        else:
            response = middleware.process_response(request, response)
        out.append({name: response.get(name) for name in HEADERS})
    return out[0], out[1]


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/admin/", "/admin/pages/", "/django-admin/"])
def test_the_fast_path_writes_what_django_csp_writes(path):
    ours, theirs = _both(path)
    assert ours["Content-Security-Policy"], path
    assert ours == theirs


def test_a_report_only_policy_and_a_settings_change_are_followed():
    before, _ = _both("/")
    report_only = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        ours, theirs = _both("/")
    assert ours == theirs
    assert "default-src 'none'" in ours["Content-Security-Policy-Report-Only"]
    assert before["Content-Security-Policy-Report-Only"] is None
    assert _both("/")[0] == before  # the cached strings were forgotten when the setting changed back


def test_per_response_policies_and_nonces_go_through_django_csp():
    ours, theirs = _both("/", {"_csp_update": {"img-src": ["https://images.example"]}})
    assert "https://images.example" in ours["Content-Security-Policy"]
    assert ours == theirs
    ours, theirs = _both("/", use_nonce=True)
    assert ours == theirs
    exempt, _ = _both("/", {"_csp_exempt": True})
    assert exempt["Content-Security-Policy"] is None


def test_the_nonce_cannot_be_used_after_the_header_is_written():
    request = RequestFactory().get("/")
    middleware = SecurityHeadersMiddleware(lambda r: HttpResponse("ok"))
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse("ok"))
    with pytest.raises(Exception, match="not available after the CSP header"):
        str(request.csp_nonce)


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"Vary": "Cookie"},
        {"Vary": "Accept-Encoding"},
        {"Cache-Control": "max-age=300, public"},
        {"Expires": "Thu, 01 Jan 2037 00:00:00 GMT", "Vary": "Accept-Language, Cookie"},
    ],
)
def test_the_never_cache_headers_are_djangos(given, monkeypatch):
    """A signed-in person's page: exactly the headers Django's two helpers write."""
    import time

    from django.utils.cache import add_never_cache_headers, patch_vary_headers

    from home.core.security import never_cache

    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.6)
    ours, django = HttpResponse("ok", headers=given), HttpResponse("ok", headers=given)
    never_cache(ours)
    add_never_cache_headers(django)
    patch_vary_headers(django, ("Cookie",))
    assert dict(ours.headers) == dict(django.headers)
    assert "no-store" in ours["Cache-Control"] and "Cookie" in ours["Vary"]
