"""At most 12 queries on any page, for every role (issue 16): every URL the resolver knows and
every page type of the page tree, as the walker's eight people; the Wagtail admin pages the coach
uses; and the coach's reports and dashboards take the same number of queries when the data grows.
Each page is measured cold (every cache empty, `cold.py`) and warm (the same person's next visit)."""

import pytest
from django.urls import reverse

from . import walker
from .budget import BUDGET, KNOWN_OFFENDERS, measure
from .cold import check_cold_and_warm, measure_cold_and_warm
from .world import ROLES, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    return build(home_page)


def test_every_url_as_every_role_is_within_budget(world):
    pairs = []
    for pattern in walker.patterns():
        url = walker.fill(pattern, world)
        if url is None:
            continue
        for role in ROLES:
            pairs.append(measure_cold_and_warm(world.clients[role], url, what=pattern.key, role=role))
    assert any(cold.status == 200 for cold, _ in pairs)
    check_cold_and_warm(pairs)


def test_every_page_type_as_every_role_is_within_budget(world):
    pairs = [
        measure_cold_and_warm(world.clients[role], page.url, what=type(page).__name__, role=role)
        for page in world.pages
        for role in ROLES
    ]
    check_cold_and_warm(pairs)


def coach_admin_urls(world) -> dict[str, str]:
    """The Wagtail admin pages the coach uses, and Huddle's report pages inside it."""
    program, leader = world.args["program_id"], world.args["leader_id"]
    home = world.pages[0]
    lesson = world.args["page_id"]
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "page explorer (root)": reverse("wagtailadmin_explore_root"),
        "page explorer (home)": reverse("wagtailadmin_explore", args=[home.pk]),
        "page explorer (program)": reverse("wagtailadmin_explore", args=[program]),
        "page edit (home)": reverse("wagtailadmin_pages:edit", args=[home.pk]),
        "page edit (program)": reverse("wagtailadmin_pages:edit", args=[program]),
        "page edit (lesson)": reverse("wagtailadmin_pages:edit", args=[lesson]),
        "snippet: module unlocks": reverse("wagtailsnippets_lessons_moduleunlock:list"),
        "snippet: seat prices": reverse("wagtailsnippets_payments_seatpricetier:list"),
        "snippet: webinar follow-ups": reverse("wagtailsnippets_webinars_webinarfollowup:list"),
        "reports: site history": reverse("wagtailadmin_reports:site_history"),
        "reports: locked pages": reverse("wagtailadmin_reports:locked_pages"),
        "reports: aging pages": reverse("wagtailadmin_reports:aging_pages"),
        "program reports": reverse("program_reports"),
        "learners report": reverse("program_report_learners", args=[program]),
        "learner page": reverse("program_report_learner", args=[program, leader]),
        "quiz report": reverse("program_report_quiz", args=[program]),
        "shared reflections": reverse("shared_reflections"),
        "certificates report": reverse("certificates_report"),
        "failed emails": reverse("runtime_failed_work"),
        "suppressed emails": reverse("runtime_suppressions:index"),
        "webinar registrations": reverse("webinar_admin_overview"),
        "newsletter subscribers": reverse("newsletter_subscribers:index"),
        "webinar funnel": reverse("lessons:funnel"),
        "rhythm console": reverse("tracker:coach_console"),
        "consistency": reverse("tracker:coach_consistency"),
    }


# Model screens the Coaches group is given no model permissions for (accounts/demo.py gives it the
# coach permission, admin access and page rights): Wagtail sends its members back to the dashboard.
NOT_FOR_THE_COACHES_GROUP = {
    "snippet: module unlocks",
    "snippet: seat prices",
    "snippet: webinar follow-ups",
    "suppressed emails",
    "newsletter subscribers",
}


def _superuser_client():
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    return client


def test_the_coachs_admin_pages_are_within_budget(world):
    """As the coach's assistant (the Coaches group, no superuser) and as the owner (a superuser)."""
    urls = coach_admin_urls(world)
    pairs = []
    for role, client in (("coach", world.clients["coach"]), ("superuser", _superuser_client())):
        pairs += [measure_cold_and_warm(client, url, what=name, role=role) for name, url in urls.items()]
    not_shown = [(m.what, m.role, m.status) for m, _ in pairs if m.status != 200]
    expected = [(name, "coach", 302) for name in urls if name in NOT_FOR_THE_COACHES_GROUP]
    assert not_shown == expected, not_shown
    check_cold_and_warm(pairs)


# The coach's reports and dashboards whose data grows with the business (learners, enrollments,
# results, subscribers, pages).
GROWING = (
    "dashboard",
    "page explorer (home)",
    "page explorer (program)",
    "program reports",
    "learners report",
    "learner page",
    "quiz report",
    "shared reflections",
    "certificates report",
    "webinar registrations",
    "webinar funnel",
    "rhythm console",
    "consistency",
    "reports: site history",
)


def test_the_coachs_reports_take_the_same_queries_as_data_grows(world, home_page):
    from .growth import grow

    coach = world.clients["coach"]
    urls = {name: url for name, url in coach_admin_urls(world).items() if name in GROWING}

    def counts() -> dict[str, int]:
        return {name: measure(coach, url, what=name, role="coach", warm=True).queries for name, url in urls.items()}

    # Some pages skip a query while a list is empty: compare a grown world with one grown again.
    grow(world, home_page)
    before = counts()
    grow(world, home_page, learners=10)
    after = counts()
    changed = {name: (before[name], after[name]) for name in urls if before[name] != after[name]}
    print(after)  # noqa: T201
    assert changed == {}, changed
    over = {name: n for name, n in after.items() if n > BUDGET and (name, "coach") not in KNOWN_OFFENDERS}
    assert over == {}, over
