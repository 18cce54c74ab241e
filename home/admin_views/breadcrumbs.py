"""Wagtail's page breadcrumbs (`get_breadcrumbs_items_for_page`, the `page_breadcrumbs` tag of the
editor's and the explorer's headers) built from the ancestors a view already read with its page
(issue 16: no query of their own). A view puts them on the page it renders (`keep_ancestors`: base
records, the page's own included, by depth); a page without them gets Wagtail's, which reads them.
Same items as Wagtail's: from the user's explorable root down, each labelled `get_latest_str` of
the page's deferred specific instance (a page type's own `get_admin_display_title`)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.models import Page
from wagtail.permissions import policy_registry

ANCESTORS = "_huddle_ancestors"


def keep_ancestors(page, ancestors: list) -> None:
    """`ancestors`: the page's ancestors and itself (base records), by depth."""
    setattr(page, ANCESTORS, list(ancestors))


def breadcrumbs_items(
    page,
    user,
    url_name="wagtailadmin_explore",
    root_url_name="wagtailadmin_explore_root",
    include_self=True,
    querystring_value="",
) -> list[dict]:
    ancestors = getattr(page, ANCESTORS, None)
    if ancestors is None:
        return get_breadcrumbs_items_for_page(page, user, url_name, root_url_name, include_self, querystring_value)
    root = policy_registry.get_by_type(Page).explorable_root_instance(user)
    if not root:
        return []
    items = []
    for ancestor in ancestors:
        if not ancestor.path.startswith(root.path) or (not include_self and ancestor.pk == page.pk):
            continue
        root_link = ancestor.is_root() and root_url_name
        url = reverse(root_url_name) if root_link else reverse(url_name, args=(ancestor.id,))
        items.append({"url": url + querystring_value, "label": get_latest_str(ancestor)})
    return items
