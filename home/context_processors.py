from .routing import site_for_request
from .selectors import main_navigation


def site_chrome(request):
    """Navigation for the header; site settings come from Wagtail's own processor."""
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    return {"main_nav": main_navigation(site=site_for_request(request))}
