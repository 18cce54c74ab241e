from home.core.caching.routing import site_for_request

from .selectors import main_navigation


def site_chrome(request):
    """Navigation for the header; site settings come from Wagtail's own processor."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    nav = main_navigation(site=site_for_request(request))
    # The menu item for this page (marked aria-current), or "": the cached menu varies on it.
    current = request.path if request.path == "/dashboard/" or any(item["url"] == request.path for item in nav) else ""
    return {"main_nav": nav, "main_nav_current": current}
