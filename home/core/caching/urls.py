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
from collections.abc import Callable

from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from home.core.caching import memo
from home.core.caching.routing import ROOT_PATHS_KEY, read_sites, site_for_request
from home.core.caching.versions import SITES_VERSION_KEY, current_request, current_version


def site_root_paths() -> tuple[tuple[int, str, str, str], ...]:
    """Wagtail's site root paths (site id, root url_path, root URL, language), most specific first:
    `Site.get_site_root_paths`, read with the sites (`routing.read_sites`)."""
    version = current_version(SITES_VERSION_KEY)
    key = ROOT_PATHS_KEY.format(version=version)
    found = memo.get(key)
    if found is None:
        request = current_request()
        if request is not None and not hasattr(request, "_wagtail_site"):
            site_for_request(request)  # the request's Site, read with the root paths: one query
            found = memo.get(key)
        if found is None:
            found = read_sites(version)[1]
    return found


@functools.lru_cache(maxsize=4096)
def _serve_path(script_prefix: str, relative: str) -> str | None:
    try:
        return reverse("wagtail_serve", args=(relative,))
    except NoReverseMatch:
        return None


def page_url(url_path: str, *, request=None) -> str | None:
    """The URL Wagtail's `page.get_url(request)` gives the page at `url_path` (None: not routable)."""
    return page_url_builder(request=request)(url_path)


def page_get_url(page) -> str | None:
    """`page.get_url()` (no request: Wagtail's `page.url`) from the site root paths kept here, for
    page types that keep Wagtail's own `get_url_parts`; any other asks Wagtail."""
    from wagtail.models import Page

    if type(page).get_url_parts is not Page.get_url_parts:
        return page.get_url()
    return page_url_builder(no_request=True)(page.url_path)


def page_url_builder(*, request=None, no_request: bool = False) -> Callable[[str], str | None]:
    """`page_url` for many pages of one request: the site root paths, the current site and the
    script prefix are looked up once (an outline builds dozens of URLs per page view). With
    `no_request`, the URLs `page.get_url()` gives without a request (no current site: the most
    specific site, a local URL only when there is one site)."""
    roots = site_root_paths()
    request = None if no_request else request if request is not None else current_request()
    current = site_for_request(request) if request is not None else None
    current_id = current.pk if current is not None else None
    one_site = len({root[0] for root in roots}) == 1
    prefix = get_script_prefix()

    def build(url_path: str) -> str | None:
        possible = [root for root in roots if url_path.startswith(root[1])]
        if not possible:
            return None
        site_id, root_path, root_url, _ = possible[0]
        if current_id is not None and len(possible) > 1 and len({root[0] for root in possible}) > 1:
            for root in possible:
                if root[0] == current_id:
                    site_id, root_path, root_url, _ = root
                    break
        path = _serve_path(prefix, url_path[len(root_path) :])
        if path is None:
            return None
        if site_id == current_id or one_site:
            return path
        return root_url + path

    return build


# --- reverse() and static() remembered per process (the `{% url %}` and `{% static %}` of
# lessons/templatetags/cached_urls.py): a page renders about ten of each, every request. ---
_REVERSED: dict[tuple, str] = {}
_MAX_REVERSED = 4096  # names x arguments seen; when full, start afresh
_PLAIN = (str, int)


def cached_reverse(viewname, *, args=(), kwargs=None, current_app=None) -> str:
    """`reverse()`, remembered: the URL patterns are fixed for the life of the process, so the same
    name and arguments under the same URLconf, script prefix, language and current app always give
    the same URL. Only plain arguments (str, int) are remembered: anything else (a model instance,
    whose str() may change) goes to `reverse` every time. NoReverseMatch is raised, never kept."""
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not all(type(a) in _PLAIN for a in (*args, *kwargs.values())):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    key = (
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_urlconf(),
        get_script_prefix(),
        get_language(),
    )
    found = _REVERSED.get(key)
    if found is None:
        found = reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
        if len(_REVERSED) >= _MAX_REVERSED:
            _REVERSED.clear()
        _REVERSED[key] = found
    return found


@functools.lru_cache(maxsize=512)
def cached_static(path: str) -> str:
    """`static(path)`, remembered: the storage's URL for a file (with ManifestStaticFilesStorage,
    the hashed name from the manifest read at start-up) does not change while the process runs."""
    return static(path)
