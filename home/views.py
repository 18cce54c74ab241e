import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .runtime.selectors import processes_health

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Database and cache reachable, as JSON; 503 when either is not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # report, don't crash: the load balancer needs an answer
        logger.exception("healthz: database unreachable")
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "1", 5)  # with Redis errors ignored, a dead Redis reads back nothing
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error: unreachable or read back failed"
    except Exception as exc:
        logger.exception("healthz: cache unreachable")
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    if checks["database"] == "ok":
        body["processes"] = processes_health()  # reported; a stopped worker is not the web's fault
    down = [name for name, value in checks.items() if value != "ok"]
    if down:
        body["down"] = down
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /dashboard/",
        "Disallow: /tracker/",
        "Disallow: /documents/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
