"""Wagtail's aging-pages and site-history reports, answered by home/admin_views/reports.py with
fewer queries (issue 16): the same rows, names, links and permissions as Wagtail's own views."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import resolve, reverse
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import GroupPagePermission, PageLogEntry

from home.admin_views.reports import FewerQueriesAgingPagesView, FewerQueriesSiteHistoryView
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db


def _publish(page, user):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def _editor_of(page):
    """An editor whose group may change `page` and its subtree, nothing else."""
    group = Group.objects.create(name="Program editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.create(group=group, page=page, permission=permission)
    editor = UserFactory(email="editor@example.com")
    editor.groups.add(group)
    return editor


def test_the_reports_urls_are_answered_by_the_subclasses_of_wagtails_views():
    for name, ours, wagtails in (
        ("aging_pages", FewerQueriesAgingPagesView, AgingPagesView),
        ("aging_pages_results", FewerQueriesAgingPagesView, AgingPagesView),
        ("site_history", FewerQueriesSiteHistoryView, LogEntriesView),
        ("site_history_results", FewerQueriesSiteHistoryView, LogEntriesView),
    ):
        view = resolve(reverse(f"wagtailadmin_reports:{name}")).func
        assert view.view_class is ours and issubclass(ours, wagtails)


def test_aging_pages_names_the_last_publisher_and_a_deleted_one_as_wagtail_does(client, home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=2)
    ana = UserFactory(email="ana@example.com")
    gone = UserFactory(email="gone@example.com")
    _publish(lessons[0], ana)
    _publish(lessons[1], gone)
    _publish(lessons[1], ana)
    _publish(modules[0], gone)
    gone_id = gone.pk
    gone.delete()
    client.force_login(CoachFactory())
    response = client.get(reverse("wagtailadmin_reports:aging_pages"))
    assert response.status_code == 200
    by_page = {page.pk: page.last_published_by_user for page in response.context["pages"]}
    assert by_page[lessons[0].pk] == "ana@example.com"
    assert by_page[lessons[1].pk] == "ana@example.com"  # the latest publish, not the first
    assert str(gone_id) in str(by_page[modules[0].pk])  # Wagtail's "user <id> (deleted)"
    assert "gone@example.com" not in str(by_page[modules[0].pk])
    csv = client.get(reverse("wagtailadmin_reports:aging_pages") + "?export=csv")
    assert b"ana@example.com" in b"".join(csv.streaming_content if csv.streaming else [csv.content])


def test_site_history_keeps_an_editor_to_her_part_of_the_tree(client, home_page):
    program, modules, lessons = make_course(home_page, modules=1, lessons=1)
    other, _, other_lessons = make_course(home_page, modules=1, lessons=1, slug="other")
    owner = UserFactory(email="owner@example.com")
    for page in (program, lessons[0], other_lessons[0]):
        _publish(page, owner)
    client.force_login(_editor_of(program))
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    entries = response.context["object_list"]
    pages = {entry.page_id for entry in entries}
    assert {program.pk, lessons[0].pk} <= pages
    assert other_lessons[0].pk not in pages and other.pk not in pages
    edit_urls = {entry.page_id: entry.edit_url for entry in entries}
    assert edit_urls[lessons[0].pk] == reverse("wagtailadmin_pages:edit", args=[lessons[0].pk])
    assert {entry.user.email for entry in entries if entry.user} == {"owner@example.com"}
    assert str(entries[0].content_type) == str(PageLogEntry.objects.get(pk=entries[0].pk).content_type)
    # The filters offer what the editor may see, and filter by it.
    users = response.context["filters"].form.fields["user"].queryset
    assert list(users.values_list("email", flat=True)) == ["owner@example.com"]
    only_lesson = client.get(reverse("wagtailadmin_reports:site_history"), {"label": lessons[0].title})
    assert {entry.page_id for entry in only_lesson.context["object_list"]} == {lessons[0].pk}


def test_site_history_links_only_pages_the_user_may_edit(client, home_page):
    program, _, lessons = make_course(home_page, modules=1, lessons=1)
    owner = UserFactory(email="owner@example.com")
    _publish(home_page, owner)
    _publish(lessons[0], owner)
    editor = _editor_of(lessons[0])
    client.force_login(editor)
    entries = client.get(reverse("wagtailadmin_reports:site_history")).context["object_list"]
    edit_urls = {entry.page_id: entry.edit_url for entry in entries}
    assert edit_urls[lessons[0].pk] is not None
    assert home_page.pk not in edit_urls or edit_urls[home_page.pk] is None


def _filter_reads(client) -> tuple[int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        form = client.get(reverse("wagtailadmin_reports:site_history")).context["filters"].form
    seen = {
        "actions": {value for value, _ in form.fields["action"].choices},
        "users": {u.pk for u in form.fields["user"].queryset},
        "types": {ct.model for ct in form.fields["object_type"].queryset},
    }
    return sum("filter_kind" in q["sql"] for q in queries.captured_queries), seen


def test_the_filters_are_read_in_one_query_and_follow_a_new_entry_through_the_cache(client, home_page):
    from django.core.cache import cache
    from wagtail.models import ModelLogEntry, Site

    program, _, lessons = make_course(home_page, modules=1, lessons=1)
    owner = UserFactory(email="owner@example.com", is_superuser=True)
    _publish(program, owner)
    client.force_login(owner)
    cache.clear()
    reads, first = _filter_reads(client)
    assert reads == 1 and "wagtail.publish" in first["actions"] and owner.pk in first["users"]
    assert first["types"] == {"page"}
    assert _filter_reads(client) == (0, first)  # warm: kept
    newcomer = UserFactory(email="ned@example.com")
    PageLogEntry.objects.log_action(lessons[0], "wagtail.lock", user=newcomer)
    ModelLogEntry.objects.log_action(Site.objects.get(), "wagtail.edit", user=newcomer)
    reads, after = _filter_reads(client)
    assert reads == 1 and after["actions"] == first["actions"] | {"wagtail.lock", "wagtail.edit"}
    assert after["users"] == first["users"] | {newcomer.pk} and after["types"] == {"page", "site"}


@pytest.mark.parametrize("who", ["root editor", "program editor", "superuser"])
def test_the_visible_entries_are_wagtails_deleted_pages_included(home_page, who):
    from django.test import RequestFactory
    from wagtail.models import Page

    from home.admin_views.reports import viewable_log_entries

    program, _, lessons = make_course(home_page, modules=1, lessons=2)
    author = UserFactory(email="author@example.com")
    _publish(lessons[1], author)
    gone = lessons[1].pk
    lessons[1].delete()
    PageLogEntry.objects.filter(page_id=gone).update(deleted=True)  # as Wagtail marks a deleted page's
    users = {
        "root editor": lambda: _editor_of(Page.get_first_root_node()),
        "program editor": lambda: _editor_of(program),
        "superuser": lambda: UserFactory(email="su@example.com", is_superuser=True),
    }
    user = users[who]()
    request = RequestFactory().get("/")
    request.user = user
    ours = set(viewable_log_entries(request, PageLogEntry).values_list("pk", flat=True))
    assert ours == set(PageLogEntry.objects.viewable_by_user(user).values_list("pk", flat=True))
    if who != "root editor":  # (hers follow the root's add/edit tests, as Wagtail's: compared above)
        assert any(PageLogEntry.objects.filter(pk__in=ours, deleted=True)) == (who == "superuser")


def test_page_numbers_never_500_and_pages_are_wagtails(client, home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program, _, _ = make_course(home_page, modules=1, lessons=1)
    owner = UserFactory(email="owner@example.com", is_superuser=True)
    client.force_login(owner)
    url = reverse("wagtailadmin_reports:site_history")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    assert not any("COUNT(*) FROM (SELECT" in q["sql"] for q in few.captured_queries)  # one page: no COUNT
    for _ in range(60):
        PageLogEntry.objects.log_action(program, "wagtail.lock", user=owner)
    for p in ("abc", "0", "-1", "999", "2", "1", ""):
        response = client.get(url, {"p": p})
        assert response.status_code == 200, p
        page = response.context["page_obj"]
        assert page.paginator.count == PageLogEntry.objects.count()
        assert page.number == (2 if p in ("2", "999") else 1 if p not in ("0", "-1") else page.number)
    assert len(client.get(url, {"p": "2"}).context["object_list"]) == PageLogEntry.objects.count() - 50
