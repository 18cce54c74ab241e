"""The Wagtail permissions kept for the admin (home/admin_views/permissions.py, issue 16): a warm
admin page reads none of the user's page, collection or site permissions nor the explorable root,
and every change they depend on is seen on the next request."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from tests.factories import CoachFactory, UserFactory
from tests.home.test_admin_reports import _editor_of
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db

KEPT = ("wagtailcore_grouppagepermission", "wagtailcore_groupcollectionpermission", "wagtailcore_groupsitepermission")


def _sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_warm_admin_page_reads_no_wagtail_permissions(client, home_page):
    client.force_login(CoachFactory())
    url = reverse("wagtailadmin_home")
    cold, cold_sql = _sql(client, url)
    warm, warm_sql = _sql(client, url)
    assert cold.status_code == warm.status_code == 200
    assert all(any(table in sql for sql in cold_sql) for table in KEPT)
    assert not any(table in sql for sql in warm_sql for table in KEPT)
    # the session and the coach's dashboard panel (8 before; 4 before the user's Wagtail profile and
    # the locales were kept, tests/admin/test_admin_baseline_queries.py)
    assert len(warm_sql) == 2, warm_sql
    # the same menu: the pages explorer starts at the same root
    assert warm.context["request"].user._explorable_root_page_cache == home_page.get_parent()


def _can_edit(client, page) -> bool:
    return client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_a_page_permission_given_or_taken_is_seen_on_the_next_request(client, home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=1)
    other = home_page.add_child(instance=Page(title="Other", slug="other"))
    editor = _editor_of(program)
    client.force_login(editor)
    assert _can_edit(client, lessons[0]) and _can_edit(client, lessons[0])  # warm
    assert not _can_edit(client, other)
    group = editor.groups.get()
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    given = GroupPagePermission.objects.create(group=group, page=other, permission=change)
    assert _can_edit(client, other)
    given.delete()
    assert not _can_edit(client, other)
    GroupPagePermission.objects.filter(group=group, page=program).delete()
    assert not _can_edit(client, lessons[0])


def test_leaving_the_group_or_being_deactivated_is_seen_on_the_next_request(client, home_page):
    program, _, lessons = make_course(home_page, modules=1, lessons=1)
    editor = _editor_of(program)
    client.force_login(editor)
    assert _can_edit(client, lessons[0]) and _can_edit(client, lessons[0])
    group = editor.groups.get()
    editor.groups.remove(group)
    assert not _can_edit(client, lessons[0])
    editor.groups.add(group)
    assert _can_edit(client, lessons[0])
    other = UserFactory(email="other@example.com")
    other.groups.add(group)
    client.force_login(other)
    assert _can_edit(client, lessons[0])
    assert not any(table in sql for sql in _sql(client, reverse("wagtailadmin_home"))[1] for table in KEPT)


def test_a_moved_page_is_seen_at_its_new_place(client, home_page):
    """The kept permission rows carry their pages' paths: a move must be seen."""
    program, _, lessons = make_course(home_page, modules=1, lessons=1)
    shelf = home_page.add_child(instance=Page(title="Shelf", slug="shelf"))
    client.force_login(_editor_of(program))
    assert _can_edit(client, lessons[0]) and _can_edit(client, lessons[0])
    Page.objects.get(pk=program.pk).move(shelf, pos="last-child")
    assert _can_edit(client, Page.objects.get(pk=lessons[0].pk))
    root = client.get(reverse("wagtailadmin_home")).wsgi_request.user._explorable_root_page_cache
    assert root.path == Page.objects.get(pk=program.pk).path


def test_a_collection_permission_given_is_seen_on_the_next_request(client, home_page):
    from wagtail.models import Collection

    editor = _editor_of(home_page)
    client.force_login(editor)
    client.get(reverse("wagtailadmin_home"))
    assert client.get(reverse("wagtailimages:index")).status_code == 302  # no image permission
    add_image = Permission.objects.get(content_type__app_label="wagtailimages", codename="add_image")
    GroupCollectionPermission.objects.create(
        group=editor.groups.get(), collection=Collection.get_first_root_node(), permission=add_image
    )
    assert client.get(reverse("wagtailimages:index")).status_code == 200


def test_a_superuser_is_left_to_wagtail(client, home_page):
    owner = UserFactory(email="owner@example.com", is_superuser=True)
    client.force_login(owner)
    client.get(reverse("wagtailadmin_home"))
    response = client.get(reverse("wagtailadmin_home"))
    assert not hasattr(response.wsgi_request.user, "_page_permission_cache")


def _rows(rows, related):
    def frozen(instance):
        return None if instance is None else tuple(getattr(instance, f.attname) for f in instance._meta.concrete_fields)

    return sorted(
        (frozen(row), frozen(row.permission), *(frozen(getattr(row, name)) for name in related)) for row in rows
    )


def test_the_rows_read_together_are_the_rows_wagtails_policies_read(home_page):
    from wagtail.models import Collection, GroupSitePermission, Site
    from wagtail.permission_policies.collections import CollectionPermissionPolicy
    from wagtail.permission_policies.pages import PagePermissionPolicy
    from wagtail.permission_policies.sites import SitePermissionPolicy

    from home.admin_views import permission_rows

    program, _, _ = make_course(home_page, modules=1, lessons=1)
    editor = _editor_of(program)
    group = editor.groups.get()
    other_group = editor.groups.create(name="Second group")
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.create(group=other_group, page=home_page, permission=change)
    images = Permission.objects.get(content_type__app_label="wagtailimages", codename="add_image")
    GroupCollectionPermission.objects.create(
        group=group, collection=Collection.get_first_root_node(), permission=images
    )
    settings_perm = Permission.objects.filter(content_type__app_label="wagtailcore").first()
    GroupSitePermission.objects.create(group=other_group, site=Site.objects.get(), permission=settings_perm)
    wagtails = [
        PagePermissionPolicy().get_all_permissions_for_user(editor),
        CollectionPermissionPolicy(Collection).get_all_permissions_for_user(editor),
        SitePermissionPolicy(GroupSitePermission).get_all_permissions_for_user(editor),
    ]
    with CaptureQueriesContext(connection) as queries:
        ours = permission_rows.read(editor)
    assert len(queries) == 1
    for rows, theirs, related in zip(ours, wagtails, (("page",), ("collection",), ()), strict=True):
        assert rows and _rows(rows, related) == _rows(theirs, related)
        assert all(type(getattr(row, name)) is Page or name == "collection" for row in rows for name in related)
    assert permission_rows.read(UserFactory()) == ([], [], [])
