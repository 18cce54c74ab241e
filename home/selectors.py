from django.core.cache import cache
from wagtail.models import Page, Site

NAV_CACHE_KEY = "home:main-nav:{site_id}"


def main_navigation(*, site: Site | None) -> list[dict]:
    """The menu: live children of the site's root page marked "show in menus".

    Cached (shared cache, so every process agrees) and cleared whenever a page is published,
    unpublished, moved or deleted.
    """
    if site is None:
        return []
    key = NAV_CACHE_KEY.format(site_id=site.pk)
    items = cache.get(key)
    if items is None:
        root = site.root_page
        items = [
            {"title": p.title, "url": p.get_url(), "path": p.url_path}
            for p in root.get_children().live().in_menu().specific(defer=True).order_by("path")
        ]
        cache.set(key, items, 3600)
    return items


def clear_navigation_cache() -> None:
    cache.delete_many([NAV_CACHE_KEY.format(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)])


__all__ = ["main_navigation", "clear_navigation_cache", "Page"]
