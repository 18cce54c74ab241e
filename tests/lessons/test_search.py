"""Site search: public pages for everyone, lesson text only for those who may read it, drip shown."""

from datetime import timedelta

import pytest

from lessons.models import ModulePage
from lessons.selectors.search import clean_query, site_search, snippet
from tests.factories import StaffFactory
from tests.lessons.factories import enrol, make_lesson, make_module, make_program

pytestmark = pytest.mark.django_db

PAID = "<p>The scoreboard goes up on Monday at nine sharp.</p>"
OPEN = "<p>A free taste: the huddle starts with the scoreboard.</p>"


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    first = make_module(program, title="Publish results", slug="m1")
    later = make_module(program, title="Celebrate", slug="m2", drip=ModulePage.Drip.DAYS, drip_days=14)
    paid = make_lesson(
        first, title="Post the numbers", slug="post", summary="Why results go on the wall.", body=[("text", PAID)]
    )
    preview = make_lesson(first, title="Taster", slug="taster", free_preview=True, body=[("text", OPEN)])
    locked = make_lesson(
        later,
        title="Personal bests",
        slug="bests",
        summary="Beyond the top seller.",
        body=[("text", "<p>Every scoreboard has a personal best column.</p>")],
    )
    return program, paid, preview, locked


def titles(hits):
    return [hit.title for hit in hits]


def test_visitor_never_matches_or_sees_paid_text(course):
    hits = site_search(user=_anonymous(), query="scoreboard")
    assert titles(hits) == ["Taster"]  # the free preview's body matches; the paid ones do not
    assert "scoreboard" in hits[0].snippet and "<mark>scoreboard</mark>" in hits[0].snippet
    for query in ("Monday nine sharp", "personal best column"):
        assert site_search(user=_anonymous(), query=query) == []


def test_visitor_finds_a_paid_lesson_by_title_with_its_summary_only(course):
    [hit] = site_search(user=_anonymous(), query="numbers")
    assert hit.title == "Post the numbers" and hit.access == "enrol"
    assert "Why results go on the wall." in hit.snippet and "Monday" not in hit.snippet
    assert hit.where == "Nine Steps · Step 1: Publish results"


def test_enrolled_leader_finds_body_text_and_sees_locked_lessons_as_locked(course, user):
    program = course[0]
    enrollment = enrol(user, program)
    hits = {hit.title: hit for hit in site_search(user=user, query="scoreboard")}
    assert set(hits) == {"Post the numbers", "Taster"}  # the locked lesson's body is not searched
    assert "<mark>scoreboard</mark> goes up on Monday" in hits["Post the numbers"].snippet
    [locked] = site_search(user=user, query="bests")
    assert locked.access == "locked"
    assert locked.opens_at == enrollment.enrolled_at + timedelta(days=14)
    assert "personal best column" not in locked.snippet and "Beyond the top seller." in locked.snippet


def test_other_users_enrollment_does_not_open_text(course, user, other_user):
    enrol(other_user, course[0])
    assert titles(site_search(user=user, query="Monday")) == []


def test_coach_finds_everything(course):
    coach = StaffFactory()
    assert set(titles(site_search(user=coach, query="scoreboard"))) == {"Post the numbers", "Taster", "Personal bests"}


def test_published_body_changes_reach_the_index(course, user):
    enrol(user, course[0])
    paid = course[1]
    paid.body = [("text", "<p>Rankings include ties.</p>")]
    paid.save_revision().publish()
    assert titles(site_search(user=user, query="ties")) == ["Post the numbers"]
    assert site_search(user=user, query="Monday") == []


def test_drafts_and_unsent_issues_stay_out(course, user, home_page):
    enrol(user, course[0])
    paid = course[1]
    paid.body = [("text", "<p>Draft words about quokkas.</p>")]
    paid.save_revision()  # not published
    assert site_search(user=user, query="quokkas") == []


def test_public_pages_are_found(home_page):
    home_page.intro = "Coaching for sales leaders at homebuilders."
    home_page.save_revision().publish()
    [hit] = site_search(user=_anonymous(), query="homebuilders")
    assert hit.url == "/" and "<mark>homebuilders</mark>" in hit.snippet


@pytest.mark.parametrize("raw", ['"', "*", "AND", "(", "OR NOT", "'; drop table", "ü" * 500, "\x00"])
def test_odd_queries_answer_cleanly(client, course, raw):
    response = client.get("/search/", {"q": raw})
    assert response.status_code == (400 if raw == "\x00" else 200)  # NUL: refused by the security middleware


def test_page_shows_empty_state_results_and_pagination(client, home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    module = make_module(program, title="Step", slug="m1")
    for n in range(12):
        make_lesson(module, title=f"Huddle lesson {n}", slug=f"l{n}", summary="Run the huddle.")
    assert b"Type a word or two" in client.get("/search/").content
    assert "No results for “zebra”" in client.get("/search/", {"q": "zebra"}).content.decode()
    first = client.get("/search/", {"q": "huddle"}).content.decode()
    assert "13 results for “huddle”" in first and "page 1 of 2" in first
    assert 'rel="next" href="?q=huddle&amp;page=2"' in first
    second = client.get("/search/", {"q": "huddle", "page": "2"}).content.decode()
    assert second.count('class="search-result"') == 3
    assert client.get("/search/", {"q": "huddle", "page": "abc"}).status_code == 200
    assert client.get("/search/", {"q": "huddle", "page": "999"}).status_code == 200


def test_clean_query_and_snippet_escape():
    assert clean_query("  a \n b  ") == "a b"
    assert len(clean_query("x" * 999)) == 200
    assert "<script>" not in snippet("<script>alert(1)</script> sales", "sales")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_a_public_page_below_the_home_page_links_where_wagtail_serves_it(home_page):
    from tests.program.webinars.factories import webinar

    page = webinar(home_page, title="Quokka quotas")
    [hit] = [hit for hit in site_search(user=_anonymous(), query="quokka") if hit.kind != "Lesson"]
    assert hit.url == page.url == "/webinars/quokka-quotas/"
