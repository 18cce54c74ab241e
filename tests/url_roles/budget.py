"""The query budget: at most 12 queries for any page (a 200 answer), for every role.

A page is measured warm (its second visit): the first visit of a role may fill shared caches (the
site's root paths, a user's cached answers) that every later request reads instead. Pages owned by
other helpers that are over budget are listed in KNOWN_OFFENDERS with what their queries are: the
test fails when one of them gets fixed (remove its line) or when any other page goes over."""

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

BUDGET = 12

# Measured on the walker's world (SQLite, warm), 2026-11-29. What every Wagtail admin page costs a
# Coaches-group coach before its content: session, Wagtail's user profile, the locales
# (wagtail_config): 3 of the 12 (8 before home/admin_views/permissions.py kept the user's page,
# collection and site permissions and the explorable root in the shared cache; the user and her
# Django permissions come from accounts' user cache). A superuser's is the same 3.
ADMIN_BASE = "admin baseline 3 (session, Wagtail's user profile, locales)"
# Wagtail's page explorer is within budget since home/admin_views/explorer.py (issue 16): warm 8-9 of
# 12 for both roles (was 17-25); tests/url_roles/test_explorer_queries.py measures it warm and cold.
# 25-30 before home/admin_views/explorer.py took the private pages' paths from the shared cache;
# 24-29 before home/admin_views/editor.py ran the editing-session cleanup once per 5 minutes and the
# permissions were kept (20-23 coach, 22-25 superuser).
WAGTAIL_EDIT = (
    "Wagtail's page editor: page routing, page, specific, parent, revisions (4), workflow (7 reads),"
    f" subscription, editing session INSERT, breadcrumbs, reference index (20-25); {ADMIN_BASE}"
)

# (URL name or page type, role) -> why it is over budget. Each is reported to the lead; Huddle's own
# coach report pages are all within budget since the user load brings the permissions (issue 16).
KNOWN_OFFENDERS: dict[tuple[str, str], str] = {
    # home/admin_views/reports.py took it from 28-34 to 17-20, the kept permissions to 15-16: the rest are the filters' reads
    # (DISTINCT actions, users, content types; the model-log permissions) and the visible pages'
    # permission walk (common ancestor, the root's "can add" count), then count, union, entries, pages.
    **{
        ("reports: site history", role): f"15-16: Wagtail's log listing (filters' DISTINCT reads); {ADMIN_BASE}"
        for role in ("coach", "superuser")
    },
    **{
        (f"page edit ({what})", role): WAGTAIL_EDIT
        for what in ("home", "program", "lesson")
        for role in ("coach", "superuser")
    },
}


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
