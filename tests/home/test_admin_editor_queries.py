"""Wagtail's page editor within the query budget (issue 16), home/admin_views/editor.py: the home
page, a program and a lesson, for a Coaches-group coach and a superuser, warm (the second load) and
cold (the shared cache emptied), and the same counts when the page has more revisions, a draft and
more pages around it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course
from tests.url_roles.budget import BUDGET

pytestmark = pytest.mark.django_db

# What every admin page of a signed-in user costs before its content (session, Wagtail's user
# profile, the locales): tests/url_roles/budget.py's ADMIN_BASE.
ADMIN_BASELINE = 3
# Cold (the shared cache empty, the page edited before by this user): past the warm load's queries,
# the user, the coach's Wagtail permissions (4, none for a superuser), the Site (with Wagtail's site
# root paths), the restricted paths, the page data (the page with its ancestors and the user's
# subscription, its specific, revisions when it has any, workflow states when it has any: 2-4
# instead of 0) and the editing-sessions cleanup (once per 5 minutes). Over the budget: see the
# report; what is past the page data is shared by every admin page.
COLD = {"coach": 17, "superuser": 16}


@pytest.fixture
def pages(home_page):
    program, _modules, lessons = make_course(home_page, modules=1, lessons=1)
    return {"home": home_page, "program": program, "lesson": lessons[0]}


@pytest.fixture
def clients(db):
    coach, owner = Client(), Client()
    coach.force_login(CoachFactory(email="assistant@example.com"))
    owner.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    return {"coach": coach, "superuser": owner}


def _count(client, page) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return len(queries), [q["sql"][:150] for q in queries.captured_queries]


def _counts(clients, pages) -> dict:
    """(role, page) -> (cold, warm); the first load (which subscribes the user to the page's
    comments, a one-time INSERT) is not counted."""
    counts = {}
    for role, client in clients.items():
        for name, page in pages.items():
            _count(client, page)
            cache.clear()
            cold, _ = _count(client, page)
            warm, sql = _count(client, page)
            counts[(role, name)] = (cold, warm)
            print(role, name, cold, warm, *sql, sep="\n  ")  # noqa: T201 (what remains, for the lead)
    return counts


def test_the_editor_is_within_budget_warm_and_cold_is_bounded(clients, pages):
    counts = _counts(clients, pages)
    assert {key: warm for key, (_, warm) in counts.items() if warm > BUDGET} == {}
    assert {key: cold for key, (cold, _) in counts.items() if cold > COLD[key[0]]} == {}
    # the editor's own queries past the admin baseline
    assert max(warm for _, warm in counts.values()) - ADMIN_BASELINE <= BUDGET - ADMIN_BASELINE


def _grow(pages, home_page) -> None:
    """More published revisions and a draft on each page (the editor then shows the draft, built
    from the latest revision), and more pages around them."""
    for page in pages.values():
        page.refresh_from_db()
        for n in range(3):
            page.title = f"{page.title} v{n}"
            page.save_revision().publish()
            page = type(page).objects.get(pk=page.pk)  # as the editor loads it: live and latest revisions
        page.title = f"{page.title} draft"
        page.save_revision()
    make_course(home_page, modules=2, lessons=2, slug=f"more-{home_page.get_children().count()}")


def test_the_counts_stay_as_revisions_drafts_and_pages_grow(clients, pages, home_page):
    # A page with a draft costs what Wagtail's `Revision.as_object()` reads (its comments and a
    # check of each foreign key the revision holds): compare a grown world with one grown again.
    _grow(pages, home_page)
    before = _counts(clients, pages)
    _grow(pages, home_page)
    after = _counts(clients, pages)
    assert after == before
    assert {key: warm for key, (_, warm) in after.items() if warm > BUDGET} == {}
