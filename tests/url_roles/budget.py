"""The query budget: at most 12 queries for any page (a 200 answer), for every role.

A page is measured warm (its second visit): the first visit of a role may fill shared caches (the
site's root paths, a user's cached answers) that every later request reads instead. Pages owned by
other helpers that are over budget are listed in KNOWN_OFFENDERS with what their queries are: the
test fails when one of them gets fixed (remove its line) or when any other page goes over."""

from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

BUDGET = 12

# Measured on the walker's world (SQLite, warm), 2026-11-29. What every Wagtail admin page costs a
# Coaches-group coach or a superuser before its content: the session, 1 of the 12 (8 before
# home/admin_views/permissions.py kept the user's page, collection and site permissions and the
# explorable root in the shared cache, the user and her Django permissions coming from accounts' user
# cache; 3 before accounts/admin_profile.py kept her Wagtail profile and home/admin_views/locales.py
# the locales; a superuser's explorable root, 2 page reads, is kept too).
ADMIN_BASE = "admin baseline 1 (the session)"
# Wagtail's page explorer left this list when home/admin_views/explorer.py read the parent, the rows
# and their workflow states once each and kept the filters' choices (17-25 warm, now 8-9):
# tests/url_roles/test_explorer_queries.py.
# Wagtail's page editor left this list when home/admin_views/editor.py kept the page's data (20-25
# warm, now 7; 12 on a page with a draft): tests/home/test_admin_editor_queries.py.

# (URL name or page type, role) -> why it is over budget. Each is reported to the lead; Huddle's own
# coach report pages are all within budget since the user load brings the permissions (issue 16).
# Wagtail's site history left the list at 11 (coach and superuser, warm; 28-34 before
# home/admin_views/reports.py, 15-16 before its filters were kept, home/admin_views/log_filters.py).
# Every page is within the budget warm (cold: cold.COLD_OFFENDERS).
KNOWN_OFFENDERS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Measure:
    what: str  # URL name or page type
    url: str
    role: str
    status: int
    queries: int
    sql: tuple[str, ...]

    def line(self) -> str:
        head = f"{self.queries:3d} queries  {self.role:13s} {self.url}  ({self.what})"
        return "\n".join([head, *(f"      {sql[:160]}" for sql in self.sql)])


def measure(client, url: str, *, what: str, role: str, warm: bool = False) -> Measure:
    """GET `url` and count its queries; over budget (or `warm`), once more warm (caches filled by
    the first)."""
    reset_queries()  # a full query log (9000 entries: a test's earlier visits) would count 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code == 200 and (warm or len(queries) > BUDGET):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    sql = tuple(q["sql"] for q in queries.captured_queries)
    return Measure(what, url, role, response.status_code, len(sql), sql)


def over_budget(measures: list[Measure]) -> tuple[list[Measure], list[tuple[str, str]]]:
    """(pages over budget not known as offenders, known offenders now within budget)."""
    shown = [m for m in measures if m.status == 200]
    over = [m for m in shown if m.queries > BUDGET and (m.what, m.role) not in KNOWN_OFFENDERS]
    seen = {(m.what, m.role): m for m in shown}
    fixed = [key for key in KNOWN_OFFENDERS if key in seen and seen[key].queries <= BUDGET]
    return over, fixed


def report(measures: list[Measure]) -> str:
    over, fixed = over_budget(measures)
    known = [m for m in measures if m.status == 200 and (m.what, m.role) in KNOWN_OFFENDERS]
    lines = [f"Over the budget of {BUDGET} queries:", *(m.line() for m in over)]
    lines += [
        "Known offenders (listed in KNOWN_OFFENDERS, reported to the lead):",
        *(m.line().split("\n")[0] for m in known),
    ]
    lines += ["Known offenders now within budget (remove them from KNOWN_OFFENDERS):", *map(str, fixed)]
    return "\n".join(lines)
