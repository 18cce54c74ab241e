"""Wagtail's page explorer within the query budget (issue 16), warm and cold, for a Coaches-group
coach and a superuser, fixed as pages grow; and what home/admin_views/explorer.py and
explorer_filters.py read once or keep is seen on the next request after a change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Site, WorkflowState

from home.core.caching import memo
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course

from .budget import BUDGET
from .test_query_budget import _superuser_client
from .world import build

pytestmark = pytest.mark.django_db

# Cold (the shared cache and this process's kept copies emptied), measured 2026-11-29 on SQLite: the
# admin baseline (session, profile, locales) and the user's load are 4, the coach's kept Wagtail
# permissions 3 more (page, collection, site); then the page routing, the Site, the private pages'
# paths (the Site read also gives Wagtail's site root paths), the parent, the rows, the workflow
# states, the breadcrumbs and the filters' users (owners and editors in one) and sites. Over the
# budget of 12: reported to the lead; this keeps it from growing.
COLD_CEILING = {"coach": 17, "superuser": 15}


@pytest.fixture
def world(home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    return build(home_page)


def _urls(world, home):
    return {
        "root": reverse("wagtailadmin_explore_root"),
        "home": reverse("wagtailadmin_explore", args=[home.pk]),
        "program": reverse("wagtailadmin_explore", args=[world.args["program_id"]]),
    }


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _cold(client, url) -> int:
    cache.clear()
    memo.clear()
    return _count(client, url)


def _counts(clients, urls) -> dict:
    found = {}
    for role, client in clients.items():
        for name, url in urls.items():
            found[(role, name, "cold")] = _cold(client, url)
            found[(role, name, "warm")] = _count(client, url)
    return found


def test_the_explorer_is_within_budget_warm_and_bounded_cold(world, home_page):
    clients = {"coach": world.clients["coach"], "superuser": _superuser_client()}
    counts = _counts(clients, _urls(world, home_page))
    print(counts)  # noqa: T201  (for the lead)
    over = {key: n for key, n in counts.items() if key[2] == "warm" and n > BUDGET}
    assert over == {}, counts
    too_cold = {key: n for key, n in counts.items() if key[2] == "cold" and n > COLD_CEILING[key[0]]}
    assert too_cold == {}, counts


def test_the_explorer_takes_the_same_queries_as_pages_grow(world, home_page):
    from .growth import grow

    clients = {"coach": world.clients["coach"], "superuser": _superuser_client()}
    urls = _urls(world, home_page)
    grow(world, home_page, learners=1)
    before = _counts(clients, urls)
    grow(world, home_page, learners=1)  # another program, its modules and lessons under home
    make_course(Page.objects.get(pk=world.args["program_id"]).specific, modules=3, lessons=1, slug="more")
    after = _counts(clients, urls)
    assert after == before


# --- what is read once or kept, seen on the next request --------------------------------------


@pytest.fixture
def coach(client):
    client.force_login(CoachFactory())
    return client


def _choices(response, name) -> dict:
    return {str(value): str(label) for value, label in response.context["filters"].form.fields[name].choices}


def _explore(client, page):
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    return response


def test_a_new_page_owner_appears_in_the_owner_filter(coach, home_page, django_capture_on_commit_callbacks):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    owner = UserFactory(email="owner.one@example.com", full_name="Olga Owner")
    assert str(owner.pk) not in _choices(_explore(coach, home_page), "owner")
    with django_capture_on_commit_callbacks(execute=True):
        program.owner = owner
        program.save()
    assert _choices(_explore(coach, home_page), "owner")[str(owner.pk)] == "Olga Owner"


def test_a_renamed_owner_is_shown_renamed_in_the_owner_filter(coach, home_page, django_capture_on_commit_callbacks):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    owner = UserFactory(email="owner.two@example.com", full_name="Old Name")
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.filter(pk=program.pk).update(owner=owner)  # no signal: the next save moves the version
        owner.full_name = "New Name"
        owner.save()
    assert _choices(_explore(coach, home_page), "owner")[str(owner.pk)] == "New Name"
    with django_capture_on_commit_callbacks(execute=True):
        owner.full_name = "Newer Name"
        owner.save()
    assert _choices(_explore(coach, home_page), "owner")[str(owner.pk)] == "Newer Name"


def test_a_new_editor_appears_in_the_edited_by_filter(coach, home_page, django_capture_on_commit_callbacks):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    editor = UserFactory(email="editor@example.com", full_name="Eda Editor")
    assert str(editor.pk) not in _choices(_explore(coach, home_page), "edited_by")
    with django_capture_on_commit_callbacks(execute=True):
        PageLogEntry.objects.log_action(program, "wagtail.edit", user=editor)
    assert _choices(_explore(coach, home_page), "edited_by")[str(editor.pk)] == "Eda Editor"


def test_a_new_site_appears_in_the_site_filter(coach, home_page, django_capture_on_commit_callbacks):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    assert len(_choices(_explore(coach, home_page), "site")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        site = Site.objects.create(hostname="other.example.com", port=80, root_page=program, site_name="Other")
    assert _choices(_explore(coach, home_page), "site")[str(site.pk)] == "Other"


def test_the_page_type_filter_lists_wagtails_page_types(coach, home_page):
    from wagtail.coreutils import get_content_type_label
    from wagtail.models import get_page_content_types

    wagtails = {str(ct.pk): str(get_content_type_label(ct)) for ct in get_page_content_types(False)}
    assert _choices(_explore(coach, home_page), "content_type") == wagtails
    field = _explore(coach, home_page).context["filters"].form.fields["content_type"]
    assert [value for value, _ in field.choices] == [str(ct.pk) for ct in get_page_content_types(False)]


def test_the_owner_and_editor_filters_list_wagtails_users(coach, home_page):
    from wagtail.admin.utils import get_user_display_name
    from wagtail.admin.views.pages.listing import GenericPageFilterSet

    program, modules, _ = make_course(home_page, modules=2, lessons=1)
    owner = UserFactory(email="o@example.com", full_name="Zed Owner")
    both = UserFactory(email="b@example.com", full_name="Amy Both")
    editor = UserFactory(email="e@example.com", full_name="Ed Only")
    Page.objects.filter(pk=modules[0].pk).update(owner=owner)
    Page.objects.filter(pk=modules[1].pk).update(owner=both)
    for user in (both, editor):
        PageLogEntry.objects.log_action(program, "wagtail.edit", user=user)
    response = _explore(coach, home_page)
    wagtails = GenericPageFilterSet(request=response.wsgi_request).form.fields
    for name in ("owner", "edited_by"):
        expected = [(str(user.pk), get_user_display_name(user)) for user in wagtails[name].queryset]
        assert list(response.context["filters"].form.fields[name].choices) == expected
    assert str(editor.pk) not in _choices(response, "owner") and str(owner.pk) not in _choices(response, "edited_by")


def test_the_filters_lists_are_kept_between_requests(coach, home_page):
    make_course(home_page, modules=1, lessons=1)
    _explore(coach, home_page)
    with CaptureQueriesContext(connection) as queries:
        _explore(coach, home_page)
    assert not [q for q in queries.captured_queries if "django_content_type" in q["sql"]]
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "wagtailcore_site"')]


@pytest.mark.parametrize("page", ["2", "abc", "0", "-1", "99999", ""])
def test_any_page_number_shows_the_listing(coach, home_page, page):
    """Wagtail's listing takes any `?p=` (its paginator's page links treat a word as page 1 and a
    page past the end as the last); the explorer's first-page counting must too, never a 500."""
    program, modules, _ = make_course(home_page, modules=2, lessons=1)
    for parent in (home_page, program):
        response = coach.get(reverse("wagtailadmin_explore", args=[parent.pk]), {"p": page})
        assert response.status_code == 200
    assert [p.pk for p in response.context["pages"]] == [m.pk for m in modules]


def test_a_new_child_and_a_new_title_show_on_the_next_visit(coach, home_page):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    assert [p.pk for p in _explore(coach, program).context["pages"]] == [modules[0].pk]
    program.add_child(instance=Page(title="Extra", slug="extra"))
    assert len(_explore(coach, program).context["pages"]) == 2
    modules[0].title = "Module renamed"
    modules[0].save_revision().publish()
    assert "Module renamed" in _explore(coach, program).content.decode()


def test_a_lock_shows_on_the_next_visit(coach, home_page):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    assert "This page is locked" not in _explore(coach, program).content.decode()
    modules[0].locked = True
    modules[0].save()
    assert "This page is locked" in _explore(coach, program).content.decode()


def test_a_workflow_state_shows_on_the_next_visit(coach, home_page):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    rows = _explore(coach, program).context["pages"]
    assert not rows[0].workflow_in_progress
    workflow = Workflow.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=GroupApprovalTask.objects.create(name="Approve"), sort_order=0)
    modules[0].save_revision()
    workflow.start(modules[0], UserFactory(email="asker@example.com"))
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    response = _explore(coach, program)
    assert response.context["pages"][0].workflow_in_progress
    assert _explore(coach, modules[0]).context["parent_page"].workflow_in_progress


def test_a_lost_permission_shows_on_the_next_visit(client, home_page, django_capture_on_commit_callbacks):
    from wagtail.models import GroupPagePermission

    program, _, _ = make_course(home_page, modules=1, lessons=1)
    coach = CoachFactory()
    client.force_login(coach)
    _explore(client, program)
    with django_capture_on_commit_callbacks(execute=True):
        GroupPagePermission.objects.filter(group__user=coach).delete()
    response = client.get(reverse("wagtailadmin_explore", args=[program.pk]))
    assert response.status_code == 302


def test_the_usage_count_is_the_parents_references(coach, home_page):
    from wagtail.models import ReferenceIndex

    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    panel = _explore(coach, modules[0]).context["side_panels"][0]
    expected = ReferenceIndex.get_grouped_references_to(modules[0]).count()
    assert panel.get_usage_context()["usage_count"] == expected


def test_the_kept_explorable_root_is_wagtails(home_page):
    """home/admin_views/permissions.py finds the root among the permitted pages when it is one of
    them (no query), else asks Wagtail: the same page as Wagtail's for each kind of editor."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from home.admin_views.permissions import _explorable_root
    from tests.home.test_admin_reports import _editor_of

    program, modules, _ = make_course(home_page, modules=2, lessons=1)
    coach, editor = CoachFactory(), _editor_of(program)
    both = UserFactory(email="two.modules@example.com")
    group = Group.objects.create(name="Module editors")
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    for module in modules:  # two sibling pages: their common ancestor is neither of them
        GroupPagePermission.objects.create(group=group, page=module, permission=change)
    both.groups.add(group)
    roots = {}
    for user in (coach, editor, both):
        ours = _explorable_root(get_user_model().objects.get(pk=user.pk))
        wagtails = PagePermissionPolicy().explorable_root_instance(get_user_model().objects.get(pk=user.pk))
        assert ours == wagtails and type(ours) is type(wagtails), user
        roots[user.email] = ours.pk
    assert roots == {coach.email: Page.get_first_root_node().pk, editor.email: program.pk, both.email: program.pk}
    fresh = get_user_model().objects.get(pk=editor.pk)
    with CaptureQueriesContext(connection) as queries:
        _explorable_root(fresh)
    assert len(queries) == 1  # the page permissions only: the root is the program, one of them


def test_a_cold_visit_reads_the_sites_once_for_the_site_and_the_root_paths(coach, home_page):
    """The request's Site and Wagtail's site root paths (the status tags' live links) in one read."""
    home_page.save_revision().publish()
    cache.clear()
    memo.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _explore(coach, home_page)
    by_url_path = [
        q["sql"] for q in queries.captured_queries if 'ORDER BY "wagtailcore_page"."url_path" DESC' in q["sql"]
    ]
    assert len(by_url_path) == 1
    site = Site.objects.get(root_page=home_page)
    assert response.context["parent_page"].full_url == f"http://{site.hostname}/"
    site.hostname = "renamed.example.com"
    site.save()
    assert _explore(coach, home_page).context["parent_page"].full_url == "http://renamed.example.com/"


def test_the_breadcrumbs_come_with_the_parent_and_a_renamed_ancestor_shows_next(coach, home_page):
    """The header's breadcrumbs are built from the ancestors read with the parent page (no query of
    their own), the same items as Wagtail's; an ancestor's new draft title shows on the next load."""
    from django.contrib.auth import get_user_model
    from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page

    from tests.home.test_admin_editor_cache import _breadcrumbs

    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    user = get_user_model().objects.get(pk=coach.session["_auth_user_id"])
    cache.clear()
    memo.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _explore(coach, modules[0])
    assert not [q for q in queries.captured_queries if '"wagtailcore_page"."path" IN' in q["sql"]]
    expected = [item["label"] for item in get_breadcrumbs_items_for_page(modules[0], user)]
    assert expected[-2:] == [program.title, modules[0].title]
    assert [label for label in _breadcrumbs(response) if label in expected] == expected
    program.title = program.draft_title = "Renamed program"
    program.save_revision(user=user)
    assert "Renamed program" in _breadcrumbs(_explore(coach, modules[0]))
