"""The search page answers a leader in a fixed number of queries, however many programs and page
types the results span (one query per program and per page type used to make it grow)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.selectors import bump_structure_version
from lessons.selectors.search import site_search
from tests.home.newsletter.test_newsletter import issue_page
from tests.lessons.factories import enrol, make_lesson, make_module, make_program
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db

BUDGET = 12
WORD = "scoreboard"


def _program(home_page, n, lessons):
    program = make_program(home_page, slug=f"p{n}", title=f"Program {n}", promise=f"A {WORD} for every team.")
    module = make_module(program, title=f"Step {n}", slug="m1", summary=f"Put up the {WORD}.")
    for i in range(lessons):
        make_lesson(module, title=f"Lesson {n}.{i}", slug=f"l{i}", body=[("text", f"<p>The {WORD} rule {i}.</p>")])
    return program


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", {"q": WORD})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_search_queries_do_not_grow_with_programs_and_page_types(
    client, home_page, user, django_assert_max_num_queries
):
    enrol(user, _program(home_page, 1, lessons=2))
    client.force_login(user)
    client.get("/search/", {"q": WORD})  # warm the per-process caches (site root, settings)
    small, page = _count(client)
    assert "Program 1" in page and "Lesson 1.0" in page

    for n in (2, 3):
        enrol(user, _program(home_page, n, lessons=8))
    for n in range(6):
        webinar(home_page, title=f"The {WORD} webinar {n}", slug=f"w{n}")
        issue_page(home_page, n=n + 1, sent=n % 2 == 0)  # unsent issues stay out
    home_page.intro = f"Every {WORD} tells a story."
    home_page.save_revision().publish()
    bump_structure_version()
    with django_assert_max_num_queries(BUDGET):  # cold outlines
        client.get("/search/", {"q": WORD})
    large, page = _count(client)
    assert large <= small <= BUDGET, (small, large)
    hits = site_search(user=user, query=WORD)
    kinds = {hit.kind for hit in hits}
    assert {"Lesson", "Module", "Program", "Webinar", "Home"} <= kinds, kinds
    assert len({hit.where.split(" · ")[0] for hit in hits if hit.kind == "Lesson"}) == 3


def test_unsent_issues_and_locked_lessons_keep_their_rules(client, home_page, user):
    issue_page(home_page, n=1, sent=False)
    issue_page(home_page, n=2, sent=True)
    program = _program(home_page, 1, lessons=1)
    # Not enrolled: the lesson is found by title only, marked for enrolled leaders.
    hits = site_search(user=user, query="issue")
    assert [hit.title for hit in hits if hit.kind == "Newsletter issue"] == ["Issue 2"]
    [lesson] = site_search(user=user, query="Lesson 1.0")
    assert lesson.access == "enrol"
    enrol(user, program)
    [lesson] = [hit for hit in site_search(user=user, query=WORD) if hit.kind == "Lesson"]
    assert lesson.access == "full" and "<mark>scoreboard</mark>" in lesson.snippet


def test_each_found_page_describes_itself_in_one_query_without_a_join_per_page_type(client, home_page, user):
    """Each page's own description field gives its snippet (search_description first), read by
    subqueries: a LEFT JOIN per page model once made the planner guess a cost in the billions."""
    program = _program(home_page, 1, lessons=0)
    talk = webinar(home_page, title=f"The {WORD} webinar", slug="w1")
    talk.summary = "Live on Tuesday."
    talk.save_revision().publish()
    home_page.intro = f"Every {WORD} tells a story."
    home_page.save_revision().publish()
    program.search_description = f"The {WORD} course."
    program.save_revision().publish()
    with CaptureQueriesContext(connection) as ctx:
        hits = {hit.kind: hit.snippet for hit in site_search(user=user, query=WORD)}
    assert "Live on Tuesday." in hits["Webinar"]
    assert "tells a story" in hits["Home"]
    assert "course." in hits["Program"] and "every team" not in hits["Program"]
    assert "Put up the" in hits["Module"]
    [details] = [q["sql"] for q in ctx.captured_queries if "webinars_webinarpage" in q["sql"]]
    assert details.upper().count(" JOIN ") == 1, details  # the content type only
