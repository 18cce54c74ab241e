"""`{% huddle_wagtail_config as config %}`: Wagtail's `wagtail_config` tag (wagtail.admin.templatetags.
wagtailadmin_tags) with the locales from the shared cache (home/admin_views/locales.py) instead of a
query on every admin page. The rest is Wagtail's own code, copied: its tag reads the locales inline,
with no hook to give them. tests/admin/test_admin_baseline_queries.py checks that both give the same
config, so a Wagtail upgrade that changes the tag fails there."""

from django import template
from django.conf import settings
from django.http.request import HttpHeaders
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.encoding import force_str
from wagtail.admin.localization import get_js_translation_strings
from wagtail.admin.templatetags.wagtailadmin_tags import i18n_enabled

from home.admin_views.locales import locales

register = template.Library()


@register.simple_tag(takes_context=True)
def huddle_wagtail_config(context):
    request = context["request"]
    config = {
        "CSRF_TOKEN": get_token(request),
        "CSRF_HEADER_NAME": HttpHeaders.parse_header_name(settings.CSRF_HEADER_NAME),
        "ADMIN_API": {
            "PAGES": reverse("wagtailadmin_api:pages:listing"),
            "DOCUMENTS": reverse("wagtailadmin_api:documents:listing"),
            "IMAGES": reverse("wagtailadmin_api:images:listing"),
            "EXTRA_CHILDREN_PARAMETERS": "",
        },
        "ADMIN_URLS": {
            "DISMISSIBLES": reverse("wagtailadmin_dismissibles"),
            "PAGES": reverse("wagtailadmin_explore_root"),
            "BLOCK_PREVIEW": reverse("wagtailadmin_block_preview"),
        },
        "I18N_ENABLED": i18n_enabled(),
        "LOCALES": [
            {"code": locale.language_code, "display_name": force_str(locale.get_display_name())} for locale in locales()
        ],
        "STRINGS": get_js_translation_strings(),
    }
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    user = getattr(context.get("request"), "user", None)
    config["KEYBOARD_SHORTCUTS_ENABLED"] = (
        user.wagtail_userprofile.keyboard_shortcuts if hasattr(user, "wagtail_userprofile") else True
    )
    return config
