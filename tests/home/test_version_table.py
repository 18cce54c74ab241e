"""The version table (home/core/caching/receivers.py): one receiver pair moves, for every row, its
versions on a save and on a delete of the row's model (now and again on commit), and the next
request through the cache shows the change (the site history's filters here; the explorer's and the
editor's in tests/url_roles/test_explorer_queries.py and tests/home/test_admin_editor_cache.py)."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import (
    BaseLogEntry,
    GroupApprovalTask,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageSubscription,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from home.admin_views.editor_data import EDITOR_VERSION_KEY, SUBSCRIPTIONS_VERSION_KEY
from home.admin_views.explorer_filters import FILTERS_VERSION_KEY
from home.admin_views.log_filters import LOG_ENTRIES_VERSION_KEY
from home.core.caching import receivers
from home.core.caching.versions import current_version
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _workflow(page, user) -> WorkflowState:
    workflow = Workflow.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=GroupApprovalTask.objects.create(name="Approve"), sort_order=0)
    page.save_revision(user=user)
    return workflow.start(page, user)


# a row's model -> an instance of it (made before the versions are read), given the home page and a user
MAKERS = {
    Page: lambda page, user: page.add_child(instance=Page(title="Child", slug="child")),
    PageLogEntry: lambda page, user: PageLogEntry.objects.log_action(page, "wagtail.edit", user=user),
    settings.AUTH_USER_MODEL: lambda page, user: UserFactory(email="row@example.com"),
    Site: lambda page, user: Site.objects.create(hostname="row.example.com", port=80, root_page=page),
    Revision: lambda page, user: page.save_revision(user=user),
    WorkflowState: _workflow,
    TaskState: lambda page, user: _workflow(page, user).current_task_state,
    Workflow: lambda page, user: Workflow.objects.create(name="Row"),
    Task: lambda page, user: GroupApprovalTask.objects.create(name="Row"),
    WorkflowPage: lambda page, user: WorkflowPage.objects.create(workflow=Workflow.objects.create(name="W"), page=page),
    WorkflowTask: lambda page, user: WorkflowTask.objects.create(
        workflow=Workflow.objects.create(name="W"), task=Task.objects.create(name="T"), sort_order=0
    ),
    PageSubscription: lambda page, user: PageSubscription.objects.create(
        page=page, user=user, comment_notifications=False
    ),
    # the abstract base of every log model: a model log entry (not a page's) as the example
    BaseLogEntry: lambda page, user: ModelLogEntry.objects.log_action(Site.objects.get(), "wagtail.edit", user=user),
}
EXPECTED = {
    Page: (FILTERS_VERSION_KEY, EDITOR_VERSION_KEY),
    PageLogEntry: (FILTERS_VERSION_KEY,),
    settings.AUTH_USER_MODEL: (FILTERS_VERSION_KEY,),
    Site: (FILTERS_VERSION_KEY,),
    **{model: (EDITOR_VERSION_KEY,) for model in (Revision, WorkflowState, TaskState, Workflow, Task)},
    **{model: (EDITOR_VERSION_KEY,) for model in (WorkflowPage, WorkflowTask)},
    PageSubscription: (SUBSCRIPTIONS_VERSION_KEY,),
    BaseLogEntry: (LOG_ENTRIES_VERSION_KEY,),
}


def test_the_table_holds_these_rows_and_each_has_a_maker_here():
    assert {model: set(keys) for model, keys in receivers.VERSION_TABLE.items()} == {
        model: set(keys) for model, keys in EXPECTED.items()
    }
    assert set(MAKERS) == set(EXPECTED)


def _versions(keys) -> list[str]:
    return [current_version(key) for key in keys]


@pytest.mark.parametrize("model", list(EXPECTED), ids=str)
def test_a_save_and_a_delete_move_the_rows_versions_now_and_on_commit(
    model, home_page, user, django_capture_on_commit_callbacks
):
    keys = EXPECTED[model]
    instance = MAKERS[model](home_page, user)
    for write in (instance.save, instance.delete):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            before = _versions(keys)
            write()
            now = _versions(keys)
        assert all(a != b for a, b in zip(before, now, strict=True)), (write, keys)
        for callback in callbacks:
            callback()
        after_commit = _versions(keys)
        assert all(a != b for a, b in zip(now, after_commit, strict=True)), (write, keys)


def test_a_raw_save_and_an_unlisted_model_move_nothing(home_page):
    keys = [FILTERS_VERSION_KEY, EDITOR_VERSION_KEY, SUBSCRIPTIONS_VERSION_KEY, LOG_ENTRIES_VERSION_KEY]
    before = _versions(keys)
    post_save.send(sender=Site, instance=Site.objects.get(), created=False, raw=True, using="default")
    ContentType.objects.get_for_model(Site).save()  # a model no row names
    post_delete.send(sender=ContentType, instance=ContentType.objects.get_for_model(Site), using="default")
    assert _versions(keys) == before


def test_a_label_row_is_resolved_on_first_use_and_a_registration_adds_its_keys(home_page):
    saved = dict(receivers.VERSION_TABLE)
    try:
        receivers.register_versions("wagtailcore.Locale", "test:one")
        receivers.register_versions("wagtailcore.Locale", "test:two", "test:one")
        assert receivers.VERSION_TABLE["wagtailcore.Locale"] == ("test:one", "test:two")
        from wagtail.models import Locale

        assert receivers.versions_for(Locale) == ("test:one", "test:two")
        before = _versions(["test:one", "test:two"])
        Locale.objects.get().save()
        assert all(a != b for a, b in zip(before, _versions(["test:one", "test:two"]), strict=True))
    finally:
        receivers.VERSION_TABLE.clear()
        receivers.VERSION_TABLE.update(saved)
        receivers._by_sender.clear()


def test_a_new_kind_of_log_entry_shows_in_the_site_history_filter_on_the_next_visit(
    client, home_page, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(email="owner@example.com", is_superuser=True))
    url = reverse("wagtailadmin_reports:site_history")

    def actions() -> set[str]:
        response = client.get(url)
        assert response.status_code == 200
        return {str(value) for value, _ in response.context["filters"].form.fields["action"].choices}

    assert "wagtail.lock" not in actions()
    assert "wagtail.lock" not in actions()  # kept
    with django_capture_on_commit_callbacks(execute=True):
        PageLogEntry.objects.log_action(home_page, "wagtail.lock")
    assert "wagtail.lock" in actions()
