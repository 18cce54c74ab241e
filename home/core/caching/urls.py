"""Page URLs from a url_path, as Wagtail's `Page.get_url` builds them, with no query per page.

Wagtail turns a page's url_path into a URL with the site root paths (`Site.get_site_root_paths`:
the most specific site first, the current site preferred when a page belongs to several) and
`reverse("wagtail_serve")`; a local URL on the current site (or when there is one site), the site's
root URL in front otherwise. Outlines list dozens of pages as plain rows, not Page instances, so
here the same rules run over the url_path alone: the site root paths are kept per process under
the sites version (moved by every Site change and every change to a site's root page), and
`reverse` is remembered per path. The current site is the request's (see `versions.current_request`).
"""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, get_script_prefix, reverse
from wagtail.models import Site

from home.core.caching import memo
from home.core.caching.routing import SECONDS, site_for_request
from home.core.caching.versions import SITES_VERSION_KEY, current_request, current_version

ROOT_PATHS_KEY = "home:site-root-paths:{version}"


def site_root_paths() -> tuple[tuple[int, str, str, str], ...]:
    """Wagtail's site root paths (site id, root url_path, root URL, language), most specific first."""
    key = ROOT_PATHS_KEY.format(version=current_version(SITES_VERSION_KEY))
    found = memo.get(key)
    if found is None:
        found = tuple(tuple(root) for root in Site.get_site_root_paths())
        memo.set(key, found, SECONDS)
    return found


@functools.lru_cache(maxsize=4096)
def _serve_path(script_prefix: str, relative: str) -> str | None:
    try:
        return reverse("wagtail_serve", args=(relative,))
    except NoReverseMatch:
        return None


def page_url(url_path: str, *, request=None) -> str | None:
    """The URL Wagtail's `page.get_url(request)` gives the page at `url_path` (None: not routable)."""
    roots = site_root_paths()
    possible = [root for root in roots if url_path.startswith(root[1])]
    if not possible:
        return None
    request = request if request is not None else current_request()
    current = site_for_request(request) if request is not None else None
    site_id, root_path, root_url, _ = possible[0]
    if current is not None and len({root[0] for root in possible}) > 1:
        for root in possible:
            if root[0] == current.pk:
                site_id, root_path, root_url, _ = root
                break
    path = _serve_path(get_script_prefix(), url_path[len(root_path) :])
    if path is None:
        return None
    if (current is not None and site_id == current.pk) or len({root[0] for root in roots}) == 1:
        return path
    return root_url + path
