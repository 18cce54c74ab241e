"""Wagtail page routing with the shared cache doing the lookups Wagtail repeats on every request.

Wagtail finds the Site for a request with one query, then walks the page tree from the site's root,
one query (or two, for `.specific`) per URL segment. For a lesson three levels down that is six
queries before the page's own work starts. Here (`serve` wraps `wagtail.views.serve`):

- The Site for a hostname and port is kept in the shared cache (`site_for_request`) and put where
  Wagtail looks for it (`request._wagtail_site`, documented on `Site.find_for_request`), so site
  settings, menus and page URLs reuse it.
- A URL path that Wagtail routed to a page with its default routing (no sub-route arguments) is
  remembered as (content type, page id). On the next request the page is fetched by id in one
  query and checked before use: it must still exist, be live and have exactly the requested
  url_path. A page that was unpublished, moved, renamed or deleted therefore never comes back from a
  stale entry, whatever the cache says; Wagtail's own routing (and its 404) takes over.
- A route miss looks the page up by url_path (two queries) while no page type routes differently
  from the tree walk (only Wagtail's default `route`, or `RegisteredSubRoutesMixin.route`, whose
  registered routers must give the tree walk's answer); otherwise Wagtail walks the tree.
- A page type with `RegisteredSubRoutesMixin` lets an app above it answer sub-paths of a given
  depth directly (`register_sub_route`, called from that app's AppConfig.ready()): the lessons app
  routes /<program>/<module>/<lesson>/ in one query by url_path, and the program app imports no
  lessons code.
- Page types with `checks_route_while_serving` (LessonPage) are served from a copy kept in this
  process under the pages version; the page's own first query checks "still live at this address"
  and raises `StaleRoute` if not, and the request is routed afresh from the database.
- View restrictions cost no query while no restricted page sits above the page.

The entries carry version counters (home.core.caching.versions) that move on every publish, unpublish,
move and delete of a page and every save or delete of a Site, so the caches also forget promptly,
in every process. Nothing here skips a check: Wagtail's `before_serve_page`/`on_serve_page` hooks
(view restrictions included) and the page's own `serve` run exactly as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION, SiteRootPath
from wagtail.url_routing import RouteResult

from home.core.caching import memo, site_settings
from home.core.caching.fetch import by_pk
from home.core.caching.frozen import freeze, thaw
from home.core.caching.switches import off
from home.core.caching.versions import PAGES_VERSION_KEY, SITES_VERSION_KEY, bump_versions, current_version

VERSION_KEY = PAGES_VERSION_KEY
SITE_KEY = "home:site:{version}:{host}:{port}"  # the sites version
ROUTE_KEY = "home:route:{version}:{host}:{port}:{digest}"
PAGE_KEY = "home:page-object:{version}:{page_id}"  # kept pages of `checks_route_while_serving` types
RESTRICTIONS_KEY = "home:restricted-paths:{version}"
ROOT_PATHS_KEY = "home:site-root-paths:{version}"  # the sites version: Wagtail's site root paths (urls.py)
SECONDS = 6 * 3600
RESTRICTIONS_SECONDS = 300  # also refreshed on its own, for restrictions written without signals
NO_SITE = "-"  # cached answer "no site for this host"


def bump_routes(*, sites: bool = False) -> None:
    """Forget every cached route, page and restriction summary (with `sites`, every cached Site
    too), now and after the commit."""
    bump_versions(*([VERSION_KEY, SITES_VERSION_KEY] if sites else [VERSION_KEY]))


def _host_port(request) -> tuple[str, str]:
    # As Wagtail does: the raw host, so ALLOWED_HOSTS is left to Django's own checks.
    return split_domain_port(request._get_raw_host())[0], str(request.get_port())


def _site_key(version: int, host: str, port: str) -> str:
    return SITE_KEY.format(version=version, host=host, port=port)


def _route_key(version: int, host: str, port: str, path: str) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return ROUTE_KEY.format(version=version, host=host, port=port, digest=digest)


def site_for_request(request) -> Site | None:
    """The request's Wagtail Site from the shared cache (one query on a miss, which also keeps the
    site root paths: `read_sites`), remembered on the request where Wagtail's
    `Site.find_for_request` finds it. A miss also leaves the root paths it read where Wagtail's
    `Page.get_url_parts(request)` looks first (`request._wagtail_cached_site_root_paths`), so a
    cold admin listing of page URLs does not read the Sites a second time."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    host, port = _host_port(request)
    version = current_version(SITES_VERSION_KEY)
    key = _site_key(version, host, port)
    found = memo.get(key)
    if found is None:
        sites, roots = read_sites(version)
        site = match_site(sites, host, port)
        memo.set(key, freeze(site, related=("root_page",)) if site is not None else NO_SITE, SECONDS)
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):  # the root paths just read, for this request
            request._wagtail_cached_site_root_paths = [SiteRootPath(*root) for root in roots]
    else:
        site = None if found == NO_SITE else thaw(found)  # this request's own Site and root page
    request._wagtail_site = site  # where Site.find_for_request keeps it for this request
    return site


def read_sites(version: str) -> tuple[list[Site], tuple]:
    """Every Site with its root page, read as Wagtail's `Site.get_site_root_paths` reads them (one
    query), and their root paths (as that gives them, Wagtail's i18n being unsupported) kept under
    the sites `version` (`ROOT_PATHS_KEY`, read by urls.py): a cold request that needs both its Site
    and the root paths reads the sites once. Wagtail's own cached root paths (`Site.get_site_root_paths`,
    which Wagtail deletes on every Site save or delete and root page move) are filled too when
    missing, as Wagtail's own miss fills them (read, then set), so Wagtail's page URLs in a cold
    admin page read no Sites again. The same query reads every Site's
    kept site settings (site_settings.py), kept under the settings version in the same cache round trip."""
    sites = list(
        Site.objects.select_related("root_page", "root_page__locale", *site_settings.joins()).order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
    )
    roots = tuple((s.pk, s.root_page.url_path, s.root_url, s.root_page.locale.language_code) for s in sites)
    memo.set_many(
        {ROOT_PATHS_KEY.format(version=version): roots, **site_settings.entries_for(sites)},
        min(SECONDS, site_settings.SECONDS),
    )
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):  # Wagtail's own entry, as its own miss fills it
        paths = [SiteRootPath(*root) for root in roots]
        cache.add(SITE_ROOT_PATHS_CACHE_KEY, paths, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return sites, roots


# Wagtail's `get_site_for_hostname` (wagtail/models/sites.py), over sites already read: the best
# match first (hostname and port, hostname of the default site, the default site, the hostname).
_HOSTNAME_PORT, _HOSTNAME_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


def match_site(sites: list[Site], host: str, port: str) -> Site | None:
    """The Site Wagtail's `Site.find_for_request` picks for `host` and `port` (None: none)."""
    number = int(port) if str(port).isdigit() else None

    def match(site: Site) -> int:
        if site.hostname == host and site.port == number:
            return _HOSTNAME_PORT
        if site.hostname == host and site.is_default_site:
            return _HOSTNAME_DEFAULT
        return _DEFAULT if site.is_default_site else _HOSTNAME

    ranked = sorted((site for site in sites if site.hostname == host or site.is_default_site), key=match)
    if not ranked:
        return None
    if len(ranked) == 1 or match(ranked[0]) in (_HOSTNAME_PORT, _HOSTNAME_DEFAULT):
        return ranked[0]
    if match(ranked[0]) == _DEFAULT:  # the default, unless exactly one site has this hostname
        return ranked[len(ranked) == 2]
    return None


def _expected_url_path(site: Site, path: str) -> str:
    return site.root_page.url_path + path


class StaleRoute(Exception):
    """Raised by a page's serve when its deferred check (see `_cached_route`) finds the page no
    longer live at this address: `serve` then routes the request afresh."""


def _model(content_type_id: int):
    return ContentType.objects.get_for_id(content_type_id).model_class()  # Django caches these per process


def _routes_by_default(content_type_ids) -> bool:
    """Does every one of these page types route as Wagtail's tree walk does (see `SAME_AS_DEFAULT`)?"""
    same_as_default = _same_as_default()
    return all((model := _model(ct)) is not None and model.route in same_as_default for ct in content_type_ids)


def _cached_route(site: Site, path: str, found, *, version: str | None = None) -> RouteResult | None:
    if not found:
        return None
    content_type_id, page_id, *rest = found
    # A remembered route names the types of the pages Wagtail's walk would have asked on the way
    # (the site root down to the parent): if any of them overrides `route()` (to hide a child from
    # some visitors, say), Wagtail must walk the tree and ask it, for every request.
    if rest and not _routes_by_default(rest[0]):
        return None
    model = _model(content_type_id)
    if model is None:
        return None
    expected = _expected_url_path(site, path)
    # Page types that check "still live at this address" inside their own first query (LessonPage
    # does, in the leader's UNION) are kept in this process under the pages version: no query here.
    deferred_check = version is not None and getattr(model, "checks_route_while_serving", False)
    deferred_check = deferred_check and not off("kept_pages")
    if deferred_check:
        key = PAGE_KEY.format(version=version, page_id=page_id)
        kept = memo.recall(key)
        if kept is not None:
            page = thaw(kept)  # this request's own instance: nothing in it is shared
            page._huddle_route_check = expected
            return RouteResult(page)
    page = by_pk(model, page_id)  # SQL compiled once per model
    if page is None or not page.live or page.url_path != expected:
        return None  # changed since it was cached: let Wagtail route it afresh
    if deferred_check:
        extras = page.frozen_extras() if hasattr(page, "frozen_extras") else None
        memo.remember({key: freeze(page, extras=extras)})
    return RouteResult(page)


def _remember_route(request, site: Site, path: str, key: str) -> None:
    result = getattr(request, "_wagtail_route_for_request", None)
    if result is None:
        return
    page, args, kwargs = result
    # Only plain page addresses: sub-routes (RoutablePageMixin and the like) are routed by Wagtail.
    if args or kwargs or not page.live or page.url_path != _expected_url_path(site, path):
        return
    from wagtail.models import Page

    steplen = Page.steplen
    ancestors = [page.path[: depth * steplen] for depth in range(site.root_page.depth, page.depth)]
    walked = getattr(request, "_huddle_walked", {}).get(page.pk)  # read with the route (`_route_by_url_path`)
    if walked is None:
        walked = tuple(Page.objects.filter(path__in=ancestors).values_list("content_type_id", flat=True))
    if len(walked) != len(ancestors) or not _routes_by_default(walked):
        return  # an ancestor routes its own way: Wagtail walks the tree every time
    memo.set(key, (page.content_type_id, page.pk, walked), SECONDS)


# --- sub-routes registered by other apps -------------------------------------------------------
# A page type with RegisteredSubRoutesMixin asks this registry before Wagtail's tree walk: an app
# registers `router(page, request, path_components)` for paths `depth` segments below pages of a
# type ("app_label.Model"), in its AppConfig.ready(). A router returns a RouteResult or raises
# Http404 exactly as the tree walk would for any live page at its own address; it only does it in
# fewer queries (e.g. the lessons app finds a lesson two levels below a program by its url_path).

SubRouter = Callable[..., RouteResult]
_sub_routes: dict[tuple[str, int], SubRouter] = {}


def register_sub_route(page_type: str, depth: int, router: SubRouter) -> None:
    """Let `router` answer paths `depth` segments below pages of `page_type` ("app_label.Model")."""
    _sub_routes[(page_type, depth)] = router


class RegisteredSubRoutesMixin:
    """For page models: sub-paths with a registered router skip Wagtail's tree walk."""

    def route(self, request, path_components):
        router = _sub_routes.get((self._meta.label, len(path_components)))
        if router is not None:
            return router(self, request, path_components)
        return super().route(request, path_components)


# Page types whose `route` gives the same answer as Wagtail's default tree walk for any live page at
# its own address: Wagtail's own, and the registry's (its routers only shortcut that walk). While
# every page model has one of these, a page can be found by its url_path in one query instead of a
# query per URL segment.
def _same_as_default() -> tuple:
    from wagtail.models import Page

    return (Page.route, RegisteredSubRoutesMixin.route)


def _default_routing_everywhere() -> bool:
    """Read on every route miss (a few dozen attribute lookups), so a changed `route` is seen."""
    from wagtail.models import get_page_models

    same_as_default = _same_as_default()
    return all(model.route in same_as_default for model in get_page_models())


def _route_by_url_path(site: Site, path: str, request=None) -> RouteResult | None:
    """A route miss: the live page at exactly this address, in two queries (the page's type, then the
    page), when no page type routes differently from the tree walk; else None (Wagtail walks).

    The first query also reads the pages at each address above it, up to the site root: the types
    of the page's ancestors, which `_remember_route` keeps with the route, are kept on `request`
    for it (when each ancestor sits at its address), instead of a query of their own, and the
    parent is handed to the page (`get_parent()`, which Wagtail's userbar calls)."""
    if not _default_routing_everywhere():
        return None
    from wagtail.models import Page

    expected = _expected_url_path(site, path)
    start = len(site.root_page.url_path)
    addresses = [expected[: end + 1] for end in range(start - 1, len(expected)) if expected[end] == "/"]
    pages = {page.path: page for page in Page.objects.filter(url_path__in=addresses).order_by("path")}
    found = next((page for page in pages.values() if page.url_path == expected and page.live), None)
    if found is None:
        return None
    steplen = Page.steplen
    ancestors = [found.path[: depth * steplen] for depth in range(site.root_page.depth, found.depth)]
    if request is not None and all(ancestor in pages for ancestor in ancestors):
        request._huddle_walked = {found.pk: tuple(pages[ancestor].content_type_id for ancestor in ancestors)}
    route = _cached_route(site, path, (found.content_type_id, found.pk))
    parent = pages.get(found.path[:-steplen])
    if route is not None and parent is not None:
        # The parent as treebeard's `get_parent()` reads it (a Page, by path), read in this same
        # query for this request only: Wagtail's userbar asks the page for it.
        route.page._cached_parent_obj = parent
    return route


def serve(request, path: str):
    """Wagtail's page view, with the site and the route looked up in the shared cache first."""
    from wagtail.views import serve as wagtail_serve  # imports models: not at app-loading time

    if off("routes"):
        return wagtail_serve(request, path)
    site = site_for_request(request)
    if site is None or hasattr(request, "_wagtail_route_for_request"):
        return wagtail_serve(request, path)
    version = current_version(VERSION_KEY)
    route_key = _route_key(version, *_host_port(request), path)
    route = _cached_route(site, path, memo.get(route_key), version=version)
    hit = route is not None
    _use_route(request, route or _route_by_url_path(site, path, request))
    try:
        response = wagtail_serve(request, path)
    except StaleRoute:  # the kept page changed under us: route this request from the database
        hit = False
        _use_route(request, _route_by_url_path(site, path, request))
        response = wagtail_serve(request, path)
    if not hit:
        _remember_route(request, site, path, route_key)
    return response


def _use_route(request, route: RouteResult | None) -> None:
    """Hand Wagtail the route (where Page.route_for_request keeps it), or let it walk the tree."""
    if route is not None:
        request._wagtail_route_for_request = route
    elif hasattr(request, "_wagtail_route_for_request"):
        del request._wagtail_route_for_request


# --- view restrictions ------------------------------------------------------------------------
# Every page view asks for the page's view restrictions (one query). Editors rarely make pages
# private, so the paths of restricted pages are kept in the shared cache: a page with no restricted
# ancestor (and no aliases of restricted pages anywhere) gets an empty queryset without a query.


def _restricted_summary() -> tuple[tuple[str, ...], bool]:
    version = current_version(VERSION_KEY)
    key = RESTRICTIONS_KEY.format(version=version)
    found = memo.get(key)
    if found is None:
        from wagtail.models import Page

        rows = list(PageViewRestriction.objects.values_list("page_id", "page__path"))
        paths = tuple(sorted(path for _, path in rows))
        aliased = bool(rows) and Page.objects.filter(alias_of_id__in=[pk for pk, _ in rows]).exists()
        found = (paths, aliased)
        memo.set(key, found, RESTRICTIONS_SECONDS)
    return found


def view_restrictions(page, full_queryset):
    """`full_queryset` (the page's real restrictions query) only when a restriction could apply."""
    paths, aliased = _restricted_summary()
    if not aliased and not any(page.path.startswith(path) for path in paths):
        return PageViewRestriction.objects.none()
    return full_queryset()


class CachedViewRestrictionsMixin:
    """For page models: no restrictions query while no restricted page is above this one."""

    def get_view_restrictions(self):
        return view_restrictions(self, super().get_view_restrictions)
