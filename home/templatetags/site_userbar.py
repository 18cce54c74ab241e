"""`{% site_userbar %}`: Wagtail's `{% wagtailuserbar %}` on the site's pages, with the user's kept
Wagtail profile.

Wagtail's userbar reads the user's `UserProfile` twice on every page: `UserProfile.get_for_user`
(a `get_or_create`, for the language the items are rendered in) and `user.wagtail_userprofile` (the
theme, `{% admin_theme_classname %}`). Here the profile comes from `accounts.admin_profile` (the one
the admin's own requests use: kept in the shared cache under the user's profile version, which
moves on every save or delete of the profile) and is put on the user, so both reads are that one:
no query warm, one cold. A user with no profile yet gets one made by Wagtail's `get_for_user`, as
before.

Everything else is Wagtail's: the same checks (`wagtailadmin.access_admin`), items, hooks
(`construct_wagtail_userbar`), page permissions (read fresh for every request) and templates.
`KeptProfileUserbar.get_context_data` is Wagtail 8.0's `Userbar.get_context_data` with the profile
read replaced; `WAGTAIL_SOURCE_SHA` (tested) tells when Wagtail's changes.
"""

from django import template
from django.forms import Media
from django.utils import translation
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance
from wagtail.admin.userbar import (
    AccessibilityItem,
    AddPageItem,
    AdminItem,
    EditPageItem,
    ExplorePageItem,
    Userbar,
    apply_userbar_hooks,
)
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Revision
from wagtail.models.pages import AbstractPage
from wagtail.users.models import UserProfile

from accounts import admin_profile

register = template.Library()

# sha256 of `inspect.getsource(wagtail.admin.userbar.Userbar.get_context_data)` this copy follows.
WAGTAIL_SOURCE_SHA = "5968f684870873a835604a48494e07bbb20482c3912e66e5f508607feafe9f47"


def _profile(user):
    """The user's Wagtail profile: kept (accounts.admin_profile), else made as Wagtail makes it."""
    admin_profile.prefill(user)
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is None:
        profile = UserProfile.get_for_user(user)
        user.wagtail_userprofile = profile
    return profile


class KeptProfileUserbar(Userbar):
    def get_context_data(self, parent_context):
        request = parent_context.get("request")
        in_preview_panel = getattr(request, "in_preview_panel", False)

        anonymous = not request or request.user.is_anonymous
        language = None if anonymous else _profile(request.user).get_preferred_language()

        with translation.override(language):
            revision_id = getattr(request, "revision_id", None)
            if in_preview_panel:
                items = [AccessibilityItem()]
            elif isinstance(self.object, AbstractPage) and self.object.pk:
                if revision_id:
                    revision = Revision.page_revisions.get(id=revision_id)
                    page = revision.content_object
                    items = [AdminItem(), ExplorePageItem(page), EditPageItem(page), AccessibilityItem()]
                else:
                    page = self.object
                    items = [AdminItem(), ExplorePageItem(page), EditPageItem(page), AddPageItem(page)]
                    items.append(AccessibilityItem())
            else:
                items = [AdminItem(), AccessibilityItem()]

            apply_userbar_hooks(request, items, self.object)

            rendered_items = []
            media = Media()
            for item in items:
                content = item.render_html(parent_context)
                if content:
                    rendered_items.append(content)
                if hasattr(item, "media"):
                    media += item.media

            origin = f"//{request.get_host()}" if request else (get_admin_base_url() or "")
            return {
                "request": request,
                "origin": origin,
                "items": rendered_items,
                "media": media,
                "position": self.position,
                "page": self.object,
                "revision_id": revision_id,
            }


@register.simple_tag(takes_context=True)
def site_userbar(context, position="bottom-right"):
    """As `{% wagtailuserbar %}`: nothing without a request, a user or admin access."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("wagtailadmin.access_admin"):
        return ""
    return KeptProfileUserbar(object=get_page_instance(context), position=position).render_html(context)
