"""Cold and warm: every page is measured on a first visit with every cache empty (as after a deploy's
new release salt or a shared-cache restart) and on a second visit by the same person (warm), and
both must be within the budget (issue 16).

Cold empties what a fresh process meets: every cache alias of Django's (Redis in production: the
versions, the Site, routes, users, outlines, menus, settings, fragments), the per-process memo in
front of it (`home.core.caching.memo`) and the lesson page bodies this process keeps
(`lessons.page_body.recent`), as the tests' own fixture does between tests. Sessions live in the
database in the tests, as `cached_db` falls back to after a cache restart.

Pages over the budget cold only (warm within it) are listed in COLD_OFFENDERS with their queries;
budget.KNOWN_OFFENDERS (over warm) covers its pages cold too."""

from django.core.cache import caches
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from .budget import BUDGET, KNOWN_OFFENDERS, Measure, over_budget, report

# Measured on the walker's world (SQLite), 2026-11-29. Every HTML page's cold chrome is 2 queries:
# the Sites with every Site's settings (the request's own and the root paths, `routing.read_sites`)
# and the menu. A signed-in person's page starts with 2 more (session, user) in the tests' database
# sessions. A coach's (or superuser's) Wagtail userbar on a site page adds her Wagtail profile (kept
# warm, `{% site_userbar %}`) and, on a warm route, the page's parent.
# (URL name or page type, role) -> why the page is over budget cold (and within it warm).
COLD_OFFENDERS: dict[tuple[str, str], str] = {}
# Every page is within the budget cold too (issue 16). The last to leave this list, on 2026-11-29:
# Wagtail's admin screens, once a cold admin page's start was 4-5 queries (the session, the user with
# her Wagtail profile joined, accounts/admin_profile.py `load_with_user`; the coach's page, collection
# and site permission rows in one query, home/admin_views/permission_rows.py, or a superuser's root
# node; the locales; the Sites when the page needs them, read once for the request's Site and
# Wagtail's page URLs, home/core/caching/routing.py) instead of 9-11: the aging pages report at 9 cold
# (13-14 before); the page explorer at 12 (16-17) and the page editor at 11-12 (20-21), once the
# header's breadcrumbs came from the ancestors read with the page and the editor's usage count rode in
# its cold page read; the site history at 10-12 (16-20), its filters read in one query, no COUNT on
# one page. The coach's site pages (13-15 before: Wagtail's userbar, `{% site_userbar %}`), the
# tracker's pages (13-15), the learner dashboard (14-15) and the webinar funnel (14) left it too.


def empty_caches() -> None:
    """Every cache a fresh deploy (or a restarted shared cache) starts without."""
    from home.core.caching import memo
    from lessons.page_body import recent as lesson_bodies

    for alias in caches:
        caches[alias].clear()
    memo.clear()
    lesson_bodies.clear()


def visit(client, url: str, *, what: str, role: str) -> Measure:
    """GET `url` once and count its queries."""
    reset_queries()  # a full query log (9000 entries: a test's earlier visits) would count 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    sql = tuple(q["sql"] for q in queries.captured_queries)
    return Measure(what, url, role, response.status_code, len(sql), sql)


def measure_cold_and_warm(client, url: str, *, what: str, role: str) -> tuple[Measure, Measure]:
    """The page's queries on a visit with every cache empty, then on the same person's next visit.

    A person's first visit may also write what a first visit writes (a lesson's progress row, an
    e-mail address record), once: a cold visit over the budget is measured again, cold again, as a
    returning visitor after a deploy meets it."""
    empty_caches()
    cold = visit(client, url, what=what, role=role)
    if cold.status == 200 and cold.queries > BUDGET:
        empty_caches()
        cold = visit(client, url, what=what, role=role)
    warm = visit(client, url, what=what, role=role) if cold.status == 200 else cold
    return cold, warm


def over_budget_cold(colds: list[Measure]) -> tuple[list[Measure], list[tuple[str, str]]]:
    """(pages over budget cold that no list names, cold-only offenders now within budget cold)."""
    known = {**KNOWN_OFFENDERS, **COLD_OFFENDERS}
    shown = [m for m in colds if m.status == 200]
    over = [m for m in shown if m.queries > BUDGET and (m.what, m.role) not in known]
    seen = {(m.what, m.role): m for m in shown}
    fixed = [key for key in COLD_OFFENDERS if key in seen and seen[key].queries <= BUDGET]
    return over, fixed


def report_cold(colds: list[Measure]) -> str:
    over, fixed = over_budget_cold(colds)
    known = [m for m in colds if m.status == 200 and (m.what, m.role) in {**KNOWN_OFFENDERS, **COLD_OFFENDERS}]
    lines = [f"Over the budget of {BUDGET} queries COLD (every cache empty):", *(m.line() for m in over)]
    lines += ["Known offenders cold:", *(m.line().split("\n")[0] for m in known)]
    lines += ["Cold offenders now within budget (remove them from COLD_OFFENDERS):", *map(str, fixed)]
    return "\n".join(lines)


def check_cold_and_warm(pairs: list[tuple[Measure, Measure]]) -> None:
    colds = [cold for cold, _ in pairs]
    warms = [warm for _, warm in pairs]
    over, fixed = over_budget(warms)
    over_cold, fixed_cold = over_budget_cold(colds)
    text = report(warms) + "\n" + report_cold(colds)
    print(text)  # noqa: T201  (the offenders, for the lead)
    assert not over and not fixed and not over_cold and not fixed_cold, text
