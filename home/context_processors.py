from home.core.caching.routing import site_for_request

from .selectors import main_navigation, program_url


def site_chrome(request):
    """Navigation for the header; site settings come from Wagtail's own processor."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    site = site_for_request(request)
    nav = main_navigation(site=site)
    # The menu item for this page (marked aria-current), or "": the cached menu varies on it.
    current = (
        request.path
        if request.path in ("/dashboard/", "/tracker/") or any(item["url"] == request.path for item in nav)
        else ""
    )
    program = program_url(site=site)  # the header's "Program" link, unless the menu has it already
    return {
        "main_nav": nav,
        "main_nav_current": current,
        "nav_program_url": "" if any(item["url"] == program for item in nav) else program,
    }
