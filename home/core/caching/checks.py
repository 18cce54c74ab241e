"""System checks for what the caching layer does not support (run by `manage.py check` and at start-up)."""

from django.conf import settings
from django.core import checks


@checks.register("caching")
def i18n_not_supported(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Cached routes, sites and menus carry no locale, and `routing` walks one tree per Site: with
    Wagtail's internationalisation on, a page would be served in the wrong language. Fail loudly."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return []
    return [
        checks.Error(
            "WAGTAIL_I18N_ENABLED is on, but home.core.caching keys routes, sites and menus without a locale.",
            hint="Add the locale to the route, site and menu keys (and route .localized roots) before enabling it.",
            id="huddle.caching.E001",
        )
    ]
