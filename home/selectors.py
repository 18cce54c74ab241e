from wagtail.models import Page, Site

from home.core.caching import memo
from home.core.caching.versions import MENU_VERSION_KEY, bump_versions, current_version

NAV_CACHE_KEY = "home:main-nav:{site_id}:{version}"


def navigation_cache_key(site: Site) -> str:
    return NAV_CACHE_KEY.format(site_id=site.pk, version=current_version(MENU_VERSION_KEY))


def main_navigation(*, site: Site | None) -> list[dict]:
    """The menu: live children of the site's root page marked "show in menus".

    Cached (shared cache, so every process agrees) under the menu version, which moves whenever a
    page at the top of the site is published, unpublished, moved or deleted.
    """
    if site is None:
        return []
    key = navigation_cache_key(site)
    items = memo.get(key)
    if items is None:
        root = site.root_page
        items = [
            {"title": p.title, "url": p.get_url(), "path": p.url_path}
            for p in root.get_children().live().in_menu().specific(defer=True).order_by("path")
        ]
        memo.set(key, items, 3600)
    return items


def clear_navigation_cache() -> None:
    bump_versions(MENU_VERSION_KEY)  # the menu's key carries it


__all__ = ["main_navigation", "clear_navigation_cache", "Page"]
