"""/sitemap.xml in a fixed number of queries, however many page types and pages there are.

Wagtail's sitemap loads every page with `.specific()`: one query per page type (14 queries for a
signed-in visitor with the demo's types, one more with each new type). This one lists the same
pages (live, public, in the request's site) and the same URLs: the pages come in one query as their
specific classes with only the base page's fields (`specific(defer=True)`), which is all Wagtail's
own `get_sitemap_urls` reads (the URL and the last publication). A page type that decides its own
sitemap entries (a lesson: only free previews are listed, paid lessons never) is loaded in full,
one query per such type, since its rule may read its own fields.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


def decides_own_entries(page_class: type[Page]) -> bool:
    return page_class.get_sitemap_urls is not Page.get_sitemap_urls


class SiteSitemap(Sitemap):
    def items(self):
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .specific(defer=True)
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        full = _load_in_full(pages)
        urls, last_mods = [], set()
        for item in pages:
            for url_info in full.get(item.pk, item).get_sitemap_urls(self.request):
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        # last_mods might be empty if the whole site is private (as Wagtail's)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _load_in_full(pages: list[Page]) -> dict[int, Page]:
    """The pages whose type decides its own sitemap entries, fully loaded: one query per such type."""
    by_class: dict[type[Page], list[int]] = defaultdict(list)
    for page in pages:
        if decides_own_entries(type(page)):
            by_class[type(page)].append(page.pk)
    full: dict[int, Page] = {}
    for page_class, pks in by_class.items():
        full.update((p.pk, p) for p in page_class._default_manager.filter(pk__in=pks).defer_streamfields())
    return full


def sitemap(request):
    """Dates in the site's time zone (TIME_ZONE), not the signed-in visitor's: one file for everyone."""
    response = sitemap_views.sitemap(request, {"wagtail": SiteSitemap(request)})
    with timezone.override(settings.TIME_ZONE):
        return response.render()
