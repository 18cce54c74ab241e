"""What home/admin_views/editor_data.py keeps for Wagtail's page editor shows each change on the next
load (issue 16): each test loads the editor once (the shared cache fills), changes the page through
Wagtail's own API, and loads it again through the same cache. Also: the editor's POST (save draft,
publish) as Wagtail's, and its query count."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.locks import BasicLock, ScheduledForPublishLock
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    PageSubscription,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.admin_views.editor_data import EDITOR_VERSION_KEY
from home.admin_views.permissions import SUPERUSER_ROOT_KEY
from home.core.caching.versions import current_version
from tests.factories import CoachFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(client, home_page):
    user = CoachFactory(email="assistant@example.com")
    client.force_login(user)
    return user


def _edit(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response


def _kept(client, page):
    """Load twice: the second load is answered from the kept entry (no page read)."""
    _edit(client, page)
    with CaptureQueriesContext(connection) as queries:
        response = _edit(client, page)
    assert not any("wagtailcore_workflowstate" in q["sql"] for q in queries.captured_queries)
    return response


def test_a_new_draft_is_shown(client, coach, home_page):
    _kept(client, home_page)
    home_page.title = "A new draft"
    revision = home_page.save_revision(user=coach)
    response = _edit(client, home_page)
    assert response.context["view"].latest_revision.pk == revision.pk
    assert response.context["form"]["title"].value() == "A new draft"
    assert response.context["editing_sessions"].revision_id == revision.pk  # the concurrent-edit check


def test_a_scheduled_publish_is_shown(client, coach, home_page):
    _kept(client, home_page)
    home_page.title = "Tomorrow"
    home_page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = home_page.save_revision(user=coach)
    revision.publish(user=coach)  # a future go-live: Wagtail schedules it
    view = _edit(client, home_page).context["view"]
    assert view.scheduled_revision.pk == revision.pk
    assert isinstance(view.lock, ScheduledForPublishLock)


def test_a_lock_is_shown(client, coach, home_page):
    assert not _kept(client, home_page).context["view"].locked_for_user
    home_page.locked, home_page.locked_by, home_page.locked_at = True, UserFactory(), timezone.now()
    home_page.save()
    view = _edit(client, home_page).context["view"]
    assert isinstance(view.lock, BasicLock) and view.locked_for_user


def test_a_privacy_restriction_is_shown(client, coach, home_page):
    private = b'class="!w-my-0 "'  # Wagtail's "Private" mark, shown when the page is not public
    assert private not in _kept(client, home_page).content
    PageViewRestriction.objects.create(page=home_page, restriction_type="password", password="secret")
    assert private in _edit(client, home_page).content


def test_a_workflow_assigned_started_and_approved_is_shown(client, coach, home_page):
    assert b"Submit to Review" not in _kept(client, home_page).content
    workflow = Workflow.objects.create(name="Review")
    task = GroupApprovalTask.objects.create(name="Check")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=home_page)
    assert b"Submit to Review" in _edit(client, home_page).content  # `get_workflow`, `has_workflow`

    home_page.save_revision(user=coach)
    state = workflow.start(home_page, coach)
    view = _edit(client, home_page).context["view"]
    assert view.workflow_state.pk == state.pk and view.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert b"Submit to Review" not in _edit(client, home_page).content

    state.current_task_state.approve(user=UserFactory(is_superuser=True))
    view = _edit(client, home_page).context["view"]
    assert view.workflow_state.pk == state.pk and view.workflow_state.status == WorkflowState.STATUS_APPROVED


def test_a_permission_change_is_shown(client, coach, home_page):
    _kept(client, home_page)
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.filter(group__user=coach, permission=change).delete()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk]))
    assert response.status_code == 302  # Wagtail sends a user who may not edit back to the dashboard


def test_a_subscription_change_is_shown(client, coach, home_page):
    assert _kept(client, home_page).context["view"].subscription.comment_notifications is False
    PageSubscription.objects.filter(user=coach, page=home_page).update(comment_notifications=True)
    PageSubscription.objects.get(user=coach, page=home_page).save()  # as Wagtail saves it
    assert _edit(client, home_page).context["view"].subscription.comment_notifications is True


def test_a_superusers_root_is_kept_and_follows_page_changes(client, home_page):
    client.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    _edit(client, home_page)
    assert cache.get(SUPERUSER_ROOT_KEY) is not None
    root = Page.get_first_root_node()
    version = current_version(EDITOR_VERSION_KEY)
    root.title = "The tree"
    root.save()
    assert current_version(EDITOR_VERSION_KEY) != version
    response = _edit(client, home_page)
    kept = getattr(response.wsgi_request.user, PagePermissionPolicy._explorable_root_instance_cache_name)
    assert kept.title == "The tree"


def _post_data(home_page, action: str, title: str) -> dict:
    response_fields = {"title": title, "slug": home_page.slug, "intro": "", "body": streamfield([])}
    data = nested_form_data({**response_fields, "comments": inline_formset([])})
    data[action] = "1"
    return data


@pytest.mark.parametrize("action", ["save", "action-publish"])
def test_the_editors_post_saves_and_publishes_as_wagtails(client, coach, home_page, action):
    _kept(client, home_page)
    url = reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, _post_data(home_page, action, "Posted title"))
    print(action, len(queries), "queries")  # noqa: T201 (reported to the lead)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    home_page.refresh_from_db()
    assert home_page.latest_revision.as_object().title == "Posted title"
    assert (home_page.title == "Posted title") is (action == "action-publish")
    assert _edit(client, home_page).context["form"]["title"].value() == "Posted title"


def _cold_edit(client, page) -> tuple[object, list[str]]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _edit(client, page)
    return response, [q["sql"] for q in queries.captured_queries]


def _reads(sql: list[str], table: str) -> list[str]:
    """The queries that read `table`'s rows (not those that ask about it in a subquery)."""
    return [q for q in sql if q.startswith(f'SELECT "{table}".')]


def test_a_cold_load_reads_the_subscription_with_the_page_and_keeps_both(client, coach, home_page):
    """One query for the page, its ancestors and the user's subscription; each kept under its own
    version: a subscription change shows on the next load, the page's entry stays."""
    _edit(client, home_page)  # the first visit subscribes (Wagtail's get_or_create)
    PageSubscription.objects.filter(user=coach, page=home_page).update(comment_notifications=True)
    response, sql = _cold_edit(client, home_page)
    assert response.context["view"].subscription.comment_notifications is True
    assert _reads(sql, "wagtailcore_pagesubscription") == []
    assert len([q for q in sql if "wagtailcore_pagesubscription" in q]) == 1  # inside the page's read
    subscription = PageSubscription.objects.get(user=coach, page=home_page)
    subscription.comment_notifications = False
    subscription.save()  # moves the subscriptions version only
    with CaptureQueriesContext(connection) as queries:
        response = _edit(client, home_page)
    assert response.context["view"].subscription.comment_notifications is False
    assert not any("wagtailcore_workflowstate" in q["sql"] for q in queries.captured_queries)  # page kept


def test_another_users_first_visit_to_a_kept_page_subscribes_them(client, coach, home_page):
    _kept(client, home_page)
    other = CoachFactory(email="other.assistant@example.com")
    client.force_login(other)
    assert not PageSubscription.objects.filter(user=other, page=home_page).exists()
    assert _edit(client, home_page).context["view"].subscription.user_id == other.pk
    assert PageSubscription.objects.filter(user=other, page=home_page, comment_notifications=False).exists()


def test_a_cold_load_skips_the_workflow_states_and_revisions_a_page_has_none_of(client, coach, home_page):
    child = home_page.add_child(instance=Page(title="Never revised", slug="never-revised"))
    _, sql = _cold_edit(client, child)
    assert _reads(sql, "wagtailcore_workflowstate") == []
    assert _reads(sql, "wagtailcore_revision") == []
    revision = child.save_revision(user=coach)  # a draft: now read, and shown
    response, sql = _cold_edit(client, child)
    assert len(_reads(sql, "wagtailcore_revision")) == 1
    assert response.context["view"].latest_revision.pk == revision.pk


def test_a_cold_load_reads_the_sites_once_and_a_site_change_shows_next(client, coach, home_page):
    home_page.save_revision().publish()
    response, sql = _cold_edit(client, home_page)
    assert len(_reads(sql, "wagtailcore_site")) == 1  # the Site and Wagtail's site root paths together
    site = Site.objects.get(root_page=home_page)
    # the root paths the request kept, on the page the "view live" link is built from
    assert response.context["view"].page.full_url == f"http://{site.hostname}/"
    site.hostname = "renamed.example.com"
    site.save()
    assert _edit(client, home_page).context["view"].page.full_url == "http://renamed.example.com/"


def _reference(*, to, by, path: str):
    """A reference index row: `by` (a page) refers to `to` (a page), as Wagtail's indexer writes them
    (in bulk: no signals)."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=page_type,
                base_content_type=page_type,
                object_id=str(by.pk),
                to_content_type=page_type,
                to_object_id=str(to.pk),
                model_path=path,
                content_path=path,
                content_path_hash=uuid.uuid5(uuid.NAMESPACE_URL, path),
            )
        ]
    )


def test_the_usage_count_is_read_with_the_page_and_a_new_reference_shows_next(client, coach, home_page):
    """Cold, the status panel's "Referenced N times" rides in the page's read (no COUNT query of its
    own) and counts the referring objects as Wagtail does; it is never kept: a reference written in
    bulk (no signal) shows on the next load, through the kept page entry."""
    from wagtail.models import ReferenceIndex

    first = home_page.add_child(instance=Page(title="First", slug="first"))
    second = home_page.add_child(instance=Page(title="Second", slug="second"))
    _reference(to=home_page, by=first, path="body.0")
    _reference(to=home_page, by=first, path="body.1")  # the same object twice: one referrer
    _reference(to=home_page, by=second, path="body.0")
    response, sql = _cold_edit(client, home_page)
    panel = response.context["side_panels"][0]
    assert panel.get_context_data(response.context)["usage_count"] == 2
    assert ReferenceIndex.get_grouped_references_to(home_page).count() == 2
    assert not [q for q in sql if q.startswith("SELECT COUNT(*)") and "wagtailcore_referenceindex" in q]
    assert "Referenced 2 times" in response.content.decode()
    _edit(client, home_page)  # kept now
    _reference(to=home_page, by=home_page.get_parent(), path="body.0")
    assert "Referenced 3 times" in _kept(client, home_page).content.decode()


def _breadcrumbs(response) -> list[str]:
    """The labels of the header's breadcrumb links."""
    import re

    html = response.content.decode()
    header = html[html.index("<ol", html.index("data-w-breadcrumbs")) :].split("</ol>")[0]
    links = re.findall(r'<a [^>]*href="/admin/pages/[^"]*"[^>]*>(.*?)</a>', header, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", label).split()) for label in links]


def test_the_breadcrumbs_come_with_the_page_and_a_renamed_ancestor_shows_next(client, coach, home_page):
    """The header's breadcrumbs are built from the ancestors read with the page (no query of their
    own), as Wagtail's: from the coach's explorable root down, with the latest draft titles; an
    ancestor's new draft title shows on the next load through the kept entry."""
    from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page

    child = home_page.add_child(instance=Page(title="Child", slug="child"))
    response, sql = _cold_edit(client, child)
    page_reads = _reads(sql, "wagtailcore_page")
    assert not [q for q in page_reads if '"wagtailcore_page"."path" IN' in q]  # Wagtail's ancestors query
    expected = [item["label"] for item in get_breadcrumbs_items_for_page(child, coach)]
    assert expected[-2:] == [home_page.title, "Child"]
    assert [label for label in _breadcrumbs(response) if label in expected] == expected
    home_page.title = home_page.draft_title = "Renamed home"
    home_page.save_revision(user=coach)
    labels = _breadcrumbs(_edit(client, child))
    assert "Renamed home" in labels
