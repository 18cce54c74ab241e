from django.db.models import F, Q
from wagtail.models import Page, Site

from home.core.caching import memo
from home.core.caching.urls import page_get_url
from home.core.caching.versions import MENU_VERSION_KEY, bump_versions, current_version

NAV_CACHE_KEY = "home:main-nav:{site_id}:{version}"


def navigation_cache_key(site: Site) -> str:
    return NAV_CACHE_KEY.format(site_id=site.pk, version=current_version(MENU_VERSION_KEY))


def main_navigation(*, site: Site | None) -> list[dict]:
    """The menu: live children of the site's root page marked "show in menus".

    Cached (shared cache, so every process agrees) under the menu version, which moves whenever a
    page at the top of the site is published, unpublished, moved or deleted. The URLs are
    `page.get_url()`'s (no request), built from the site root paths kept with the Site
    (home.core.caching.urls) for page types that keep Wagtail's `get_url_parts`.
    """
    return _top_level(site)["items"]


def program_url(*, site: Site | None) -> str:
    """The URL of the site's first live program at the top of the site ("" if none): the header's
    "Program" link for leaders. Found by the menu's own query (home imports no program code)."""
    return _top_level(site)["program_url"]


def _top_level(site: Site | None) -> dict:
    if site is None:
        return {"items": [], "program_url": ""}
    key = navigation_cache_key(site)
    found = memo.get(key)
    if found is None:
        root = site.root_page
        pages = (
            root.get_children()
            .live()
            .filter(Q(show_in_menus=True) | Q(content_type__app_label="program", content_type__model="programpage"))
            .annotate(_app=F("content_type__app_label"), _model=F("content_type__model"))
            .specific(defer=True)
            .order_by("path")
        )
        items, programs = [], []
        for p in pages:
            url = page_get_url(p)  # the root paths read with this request's Site
            if p.show_in_menus:
                items.append({"title": p.title, "url": url, "path": p.url_path})
            if (p._app, p._model) == ("program", "programpage"):
                programs.append(url)
        found = {"items": items, "program_url": programs[0] if programs else ""}
        memo.set(key, found, 3600)
    return found


def clear_navigation_cache() -> None:
    bump_versions(MENU_VERSION_KEY)  # the menu's key carries it


__all__ = ["main_navigation", "program_url", "clear_navigation_cache", "Page"]
