from wagtail.models import Site

from .selectors import main_navigation


def site_chrome(request):
    """Navigation for the header; site settings come from Wagtail's own processor."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    site = getattr(request, "_huddle_site", None)
    if site is None:
        site = Site.find_for_request(request)
        request._huddle_site = site
    return {"main_nav": main_navigation(site=site)}
