"""Caching: what is kept, under which keys, and what makes it forget.

The contract
------------
1. Nothing is ever deleted to invalidate. Every cached value sits under a key that carries a version
   counter (`versions`) or a hash of the content it was made from; a change moves the counter, so the
   old keys are simply never read again (and expire). Counters live in the shared cache (Redis in
   production), so every process forgets together; `VersionScopeMiddleware` reads each counter at
   most once per request (and only when something asks). `bump_versions` moves a counter now and
   again on commit.
2. Only the receivers in `receivers` (connected from the `home` AppConfig) and the apps' own
   receivers move the versions below; apps do not delete cache keys. A version that moves on every
   save or delete of some models is a row of `receivers.VERSION_TABLE` (`register_versions(model or
   label, *keys)` at ready()), answered by one receiver pair, not a receiver of its own.
3. This package imports Django and Wagtail only, never an app.

The versions (`versions.py`) and what moves them
-------------------------------------------------
Every version reads "<release>.<counter>": `settings.RELEASE` (env `RELEASE`, else the git commit,
else "dev") is part of every key built from it, so a deploy starts with fresh keys while old and
new processes still share the counters. Every move below happens now and again on commit.

| change                                   | pages | sites | menu | settings | programs | page cache | test (tests/home/core/...)      |
| ---------------------------------------- | ----- | ----- | ---- | -------- | -------- | ---------- | ------------------------------- |
| publish / unpublish a page               | yes   | root* | top† | -        | program‡ | yes        | test_routing, test_invalidation |
| scheduled publish (Wagtail's publish)    | yes   | root* | top† | -        | program‡ | yes        | test_invalidation               |
| move a page                              | yes   | root* | top† | -        | program‡ | yes        | test_routing                    |
| delete a page                            | yes   | root* | top† | -        | program‡ | yes        | test_routing                    |
| privacy: view restriction added/removed  | yes   | -     | -    | -        | -        | yes        | test_privacy_cache              |
| a new alias page                         | yes   | -     | -    | -        | -        | yes        | test_privacy_cache              |
| site settings saved / deleted            | yes   | -     | -    | yes      | -        | yes        | test_invalidation               |
| Site saved / deleted                     | yes   | yes   | yes  | -        | -        | no§        | test_routing, test_invalidation |
| snippet saved                            | -     | -     | -    | -        | -        | no (expiry)| test_invalidation               |
| deploy (a new RELEASE)                   | all keys change with the release                         | test_invalidation               |

* when the page is the root of any Site (depth 2, or a Site rooted deeper, e.g. at a program).
† when the page is at depth 3 or above, or moves from or to there. ‡ lessons' receivers: any
save, publish, unpublish, move or delete of a program, module or lesson page moves the pages
version (the "structure" version of outlines), and of a program page the programs version too.
§ a Site change moves the pages and sites versions, which the page cache does not carry: a cached
anonymous page lives on until `PAGE_CACHE_SECONDS` (as after a snippet edit, which has no signal).
A plain draft save of a non-course page moves nothing. `home:pages-version` (PAGES),
`home:sites-version` (SITES), `home:menu-version` (MENU), `home:settings-version` (SETTINGS),
`home:programs-version` (PROGRAMS), `home:page-cache-version` (`page_cache.py`). Apps key their own
caches on counters made here, e.g. `tracker:team-version:<id>` (tracker's receivers and bulk writes).
Nothing moves on image or document edits (lesson-body HTML is re-rendered at least hourly) or on
user changes.

What each cache holds
---------------------
- `routing.py`: the Site per host and port (`home:site:{sites}:{host}:{port}`, 6 h), the route of a
  URL path as (content type id, page id, the types of the pages Wagtail's walk asks on the way)
  (`home:route:{pages}:{host}:{port}:{sha}`, 6 h; re-checked live and at this url_path on every
  use, and used only while each of those types routes as Wagtail's default walk does), the restricted-paths summary
  (`home:restricted-paths:{pages}`, 5 min) and, in this process only, pages of types with
  `checks_route_while_serving` (`home:page-object:{pages}:{page_id}`).
- `page_cache.py`: whole anonymous responses to GET requests of Wagtail pages
  (`home:page:{sha of the address}`, the entry carrying the page-cache version; `PAGE_CACHE_SECONDS`).
  Only paths that resolve to Wagtail's page view pay its cache round trip.
- `urls.py`: Wagtail's site root paths (`home:site-root-paths:{sites}`), for page URLs built as
  `Page.get_url` builds them, the request's own site preferred (or none: `page_get_url`, the menu's);
  read in one query with the request's Site (`routing.read_sites`), so a cold request reads the
  Sites once (that query also fills Wagtail's own `Site.get_site_root_paths` cache when it is empty:
  Wagtail deletes it on every Site and site-root change). A route miss reads the page and its
  ancestors in one query too, and hands the page its parent (treebeard's `get_parent`, which
  Wagtail's userbar asks).
- `memo.py`: a per-process copy, at most 5 min and 2000 entries, in front of the shared cache, for
  keys that carry a version or a content hash only. Users here: the Site and routes above, the menu
  (`home:main-nav:{site}:{menu}`, 1 h), the site settings (`site_settings.py`,
  `home:site-settings:{model}:{site}:{settings}`, 1 h, filled for every Site by the Sites' own query),
  the shared header/footer fragments (`home:fragment:...:{menu}:{settings}:...`, process only), program
  outlines (`lessons:structure:{program}:{pages}`, 24 h), program pages (`lessons:program:{programs}:...`,
  `lessons:program-id:{programs}:...`, process only) and lesson-body HTML
  (`lessons:body:{release}:{lesson}:{sha of the body}`, 1 h).
- `frozen.py`: no cache, the freeze/thaw of kept instances (below).
- `fetch.py`: no data, only the compiled SQL of "row by primary key" per model and process.
- Outside this package, on these versions' model: accounts' user cache (`accounts/user_cache.py`)
  and, for the Wagtail admin's requests only, each non-superuser's Wagtail page, collection and site
  permissions and explorable root (`home/admin_views/permissions.py`, `home:admin-permissions:{pk}`,
  1 h, under the user's versions and `home:admin-permissions-version`, which permission, collection
  and any page save, delete or move moves; every superuser's explorable root,
  `home:admin-permissions:superusers`, under the latter), frozen as below; each signed-in user's
  Wagtail profile (`accounts/admin_profile.py`, `accounts:profile:{pk}`, 6 h, under
  `accounts:profile-version:{pk}`: UserProfile save, delete or bulk zone update), frozen; the
  locales (`home/admin_views/locales.py`, `home:locales`, 24 h, under `home:locales-version`: Locale
  save or delete); the site history's filter data per user (`home/admin_views/log_filters.py`,
  `home:site-history-filters:{pk|all}`, 1 h, under `home:log-entries-version`: any log entry save
  or delete, the admin-permissions version and the user's versions).

Shared model instances
----------------------
A model instance is never shared between requests. What is kept per process (the Site with its
root page, site settings, kept lesson pages, program pages) is kept as primitives (`frozen.py`:
field values, StreamField and JSONField as JSON text) and thawed into a new instance for each
request, StreamValue included. Menu items, routes, restriction summaries, site root paths,
fragments, outlines and body HTML are plain tuples, lists, dicts and strings: shared and read-only.

Not supported
-------------
Wagtail's internationalisation: keys carry no locale, so `checks.py` fails the system check when
`WAGTAIL_I18N_ENABLED` is on.
"""
