"""The search's matches are cached (per pages version, query and set of readable lessons): each
change that alters a result shows on the very next search, with the cache on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.core.caching import memo
from home.newsletter.models import NewsletterIssuePage
from lessons.selectors.search import site_search
from tests.factories import UserFactory
from tests.home.newsletter.test_newsletter import issue_page
from tests.lessons.factories import enrol, make_lesson, make_module, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="program", title="Nine Steps")
    module = make_module(program, title="Publish results", slug="m1")
    paid = make_lesson(module, title="Post the numbers", slug="post", body=[("text", "<p>Rankings on Monday.</p>")])
    return program, module, paid


def titles(user, query):
    return sorted(hit.title for hit in site_search(user=user, query=query))


def _cached_keys():
    return [key for key in memo._memo if key.startswith("lessons:search:")]


def test_a_published_change_shows_on_the_next_search(course):
    program, module, paid = course
    leader = UserFactory()
    enrol(leader, program)
    assert titles(leader, "ties") == []
    assert _cached_keys()  # the answer is cached, so what follows goes through the cache
    paid.body = [("text", "<p>Rankings include ties.</p>")]
    paid.save_revision().publish()
    assert titles(leader, "ties") == ["Post the numbers"]
    make_lesson(module, title="Ties and tiebreaks", slug="ties", summary="When two reps tie.")
    assert titles(leader, "ties") == ["Post the numbers", "Ties and tiebreaks"]
    paid.unpublish()
    assert titles(leader, "ties") == ["Ties and tiebreaks"]


def test_lesson_text_is_cached_apart_for_those_who_may_read_it(course):
    program, _, _ = course
    leader, visitor = UserFactory(), AnonymousUser()
    enrol(leader, program)
    assert titles(leader, "monday") == ["Post the numbers"]
    assert titles(visitor, "monday") == []  # the leader's cached match is not the visitor's
    assert [hit.access for hit in site_search(user=visitor, query="numbers")] == ["enrol"]
    assert "Monday" not in str(site_search(user=visitor, query="numbers")[0].snippet)


def test_a_view_restriction_hides_a_section_on_the_next_search(course, home_page):
    program, _, _ = course
    assert titles(AnonymousUser(), "numbers") == ["Post the numbers"]
    PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.LOGIN)
    assert titles(AnonymousUser(), "numbers") == []


def test_an_issue_not_yet_sent_is_never_cached(course, home_page):
    issue = issue_page(home_page, n=1, sent=False)
    assert titles(AnonymousUser(), "issue") == []
    assert not _cached_keys()  # sent_at is written without a signal: not kept while unsent
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(sent_at=timezone.now())
    assert titles(AnonymousUser(), "issue") == ["Issue 1"]
