"""Wagtail's page explorer, answered by home/admin_views/explorer.py with fewer queries (issue 16):
the same children, type labels, permissions and privacy marks as Wagtail's own listing."""

import pytest
from django.urls import reverse
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page, PageViewRestriction

from home.admin_views.explorer import FewerQueriesExplorableIndexView, FewerQueriesPageViewSet
from tests.factories import CoachFactory
from tests.home.test_admin_reports import _editor_of
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db


def test_every_page_types_explorer_is_the_subclass_of_wagtails():
    from lessons.models import LessonPage

    reverse("wagtailadmin_explore_root")  # loads the admin URLs, which register the viewsets
    for model in (Page, LessonPage):
        viewset = page_viewset_registry.get_by_type(model)
        assert isinstance(viewset, FewerQueriesPageViewSet)
    assert page_viewset_registry.get_by_parent_model(LessonPage) is page_viewset_registry.get_by_type(Page)
    assert issubclass(FewerQueriesExplorableIndexView, ExplorableIndexView)


def test_the_explorer_lists_the_children_with_their_types(client, home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    client.force_login(CoachFactory())
    response = client.get(reverse("wagtailadmin_explore", args=[modules[0].pk]))
    assert response.status_code == 200
    rows = list(response.context["pages"])
    assert [page.pk for page in rows] == [lesson.pk for lesson in lessons]
    assert all(type(page) is type(lessons[0]) for page in rows)  # specific, as Wagtail's
    assert rows[0].content_type.model_class() is type(lessons[0])
    assert type(lessons[0])._meta.verbose_name.lower() in response.content.decode().lower()


def test_an_editor_explores_only_her_part_of_the_tree(client, home_page):
    program, modules, _ = make_course(home_page, modules=2, lessons=1)
    client.force_login(_editor_of(program))
    response = client.get(reverse("wagtailadmin_explore", args=[program.pk]))
    # Wagtail lists the newest revision first: both modules were made in the same instant (any order)
    assert sorted(page.pk for page in response.context["pages"]) == sorted(module.pk for module in modules)
    away = client.get(reverse("wagtailadmin_explore", args=[home_page.pk]))
    assert away.status_code == 302 and away["Location"] == reverse("wagtailadmin_explore", args=[program.pk])


def test_a_page_made_private_is_seen_as_private_on_the_next_visit(
    client, home_page, django_capture_on_commit_callbacks
):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    client.force_login(CoachFactory())
    url = reverse("wagtailadmin_explore", args=[modules[0].pk])
    assert list(client.get(url).wsgi_request.all_page_view_restriction_paths) == []
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.LOGIN)
    assert list(client.get(url).wsgi_request.all_page_view_restriction_paths) == [program.path]


def test_the_editor_marks_a_page_under_a_private_one_as_private(client, home_page, django_capture_on_commit_callbacks):
    program, _, lessons = make_course(home_page, modules=1, lessons=1)
    client.force_login(CoachFactory())
    url = reverse("wagtailadmin_pages:edit", args=[lessons[0].pk])
    assert list(client.get(url).wsgi_request.all_page_view_restriction_paths) == []
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.wsgi_request.all_page_view_restriction_paths) == [program.path]
