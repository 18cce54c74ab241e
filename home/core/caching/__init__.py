"""Caching: what is kept, under which keys, and what makes it forget.

The contract
------------
1. Nothing is ever deleted to invalidate. Every cached value sits under a key that carries a version
   counter (`versions`) or a hash of the content it was made from; a change moves the counter, so the
   old keys are simply never read again (and expire). Counters live in the shared cache (Redis in
   production), so every process forgets together; `VersionScopeMiddleware` reads each counter at
   most once per request. `bump_versions` moves a counter now and again on commit.
2. Only the receivers in `receivers` (connected from the `home` AppConfig) and the apps' own
   receivers move the versions below; apps do not delete cache keys.
3. This package imports Django and Wagtail only, never an app.

The versions (`versions.py`) and what moves them
-------------------------------------------------
- `home:pages-version` (PAGES): page publish, unpublish, move and delete (`receivers.page_changed`),
  view-restriction save/delete, a new alias, Site save/delete, any site-settings save/delete (not the
  first save with defaults); also every save, publish, unpublish, move and delete of a program,
  module or lesson page (lessons' own receivers, which use it as the "structure" version). A plain
  draft save of any other page does not move it.
- `home:settings-version` (SETTINGS): site-settings save or delete (any `BaseSiteSetting` subclass).
- `home:sites-version` (SITES): Site save or delete; publish, unpublish, move or delete of a site's
  root page (depth 2).
- `home:menu-version` (MENU): publish, unpublish, move or delete of a page at depth 3 or above (or a
  move from or to there), Site save or delete.
- `home:programs-version` (PROGRAMS): changes to a program page (lessons' receivers).
- `home:page-cache-version` (`page_cache.py`): page publish, unpublish, move, delete and any
  site-settings save or delete. Not moved by Site or view-restriction changes (a Site change moves the
  pages version, which the page cache does not carry) nor by snippet edits: entries also expire after
  `PAGE_CACHE_SECONDS`, which is the only bound for those. Known gap: a view restriction added to a
  page whose anonymous response is already cached does not move it, so that copy can still be served
  to anonymous visitors until it expires.
- Apps key their own caches on counters made here, e.g. `tracker:data-version` (moved by tracker's
  receivers and after its bulk writes).
- Nothing moves on snippet saves (no snippet feeds a cached page today except through the time-outs),
  on image or document edits (lesson-body HTML is re-rendered at least hourly), or on user changes.

What each cache holds
---------------------
- `routing.py`: the Site per host and port (`home:site:{sites}:{host}:{port}`, 6 h), the route of a
  URL path as (content type id, page id) (`home:route:{pages}:{host}:{port}:{sha}`, 6 h; re-checked
  live and at this url_path on every use), the restricted-paths summary
  (`home:restricted-paths:{pages}`, 5 min) and, in this process only, pages of types with
  `checks_route_while_serving` (`home:page-object:{pages}:{page_id}`).
- `page_cache.py`: whole anonymous responses to GET requests of Wagtail pages
  (`home:page:{sha of the address}`, the entry carrying the page-cache version; `PAGE_CACHE_SECONDS`).
- `memo.py`: a per-process copy, at most 5 min and 2000 entries, in front of the shared cache, for
  keys that carry a version or a content hash only. Users here: the Site and routes above, the menu
  (`home:main-nav:{site}:{menu}`, 1 h), the site settings (`home:site-settings:{site}:{settings}`, 1 h),
  the shared header/footer fragments (`home:fragment:...:{menu}:{settings}:...`, process only), program
  outlines (`lessons:structure:{program}:{pages}`, 24 h), program pages (`lessons:program:{programs}:...`,
  `lessons:program-id:{programs}:...`, process only) and lesson-body HTML
  (`lessons:body:{lesson}:{sha of the body}`, 1 h).
- `fetch.py`: no data, only the compiled SQL of "row by primary key" per model and process.

Shared model instances
----------------------
The promise: a model instance is never shared between requests where Wagtail (or Django) writes to
it; values from the memo are read-only, and kept pages are handed out as a `copy.copy` per request.
Today's truth, with the known gaps (to be fixed, not relied upon):
- Kept lesson pages (`routing`) and program pages (`lessons.selectors`) are copied per request, but
  the copy is shallow: the StreamField value (`body`) and any other object attribute stay shared
  across requests and threads. Wagtail fills a StreamValue's bound-block cache lazily on first access
  (and lessons' body cache writes its digest onto it), so those shared objects are written to. The
  writes are deterministic (same value each time), which is why it works, but it breaks the promise.
- The site settings returned by `SiteSettings.for_site` are the memo's own instance, not a copy.
  Wagtail's `BaseSiteSetting.for_request` sets `_request` on it (and its page-URL cache would fill
  from whichever request came first), so one shared instance is written by every request of the
  process. Known gap.
- The Site from `site_for_request` is one instance per process, put on `request._wagtail_site`;
  Django fills its `root_page` cache on first use and that root page is then shared too. Nothing is
  known to write to either after that, but they are not copied.
- Menu items, routes, restriction summaries, fragments, outlines and body HTML are plain tuples,
  lists, dicts and strings: shared and read-only.
"""
