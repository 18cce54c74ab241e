"""What Wagtail's page editor reads about a page before it draws the form (issue 16), read in fewer
queries and kept in the shared cache between loads:

- the page (base record, with its in-progress workflow states as Wagtail's
  `prefetch_workflow_states` leaves them, and its specific instance), its latest revision (the
  concurrent-edit check's id and time) and its scheduled revision;
- the parent, the last workflow state (shown when none is in progress) and the active workflow of
  the page or its nearest ancestor (`Page.get_workflow`, which walks the ancestors one query at a
  time): one query over the ancestors finds both the parent and the nearest `WorkflowPage`.

Cold, the page is read with its ancestors (a path that starts the page's own) in that one query,
which also tells whether the page has any workflow state or scheduled revision (their reads are
skipped when it has none) and, with a `user`, brings that user's comment subscription along.

Every entry carries `EDITOR_VERSION_KEY`, moved (now and on commit, `bump_versions`) by every save or
delete of a page, revision, workflow state, task state, workflow, task, workflow-page or
workflow-task link and every page move, so the next load after any of them reads afresh: a new
draft, a scheduled publish, a lock (a page save), a workflow started, approved or cancelled.
The user's comment-notifications subscription to the page (Wagtail's get_or_create) is kept too,
under its own version (`SUBSCRIPTIONS_VERSION_KEY`, moved likewise by every subscription save or
delete), so a first visit's INSERT leaves the pages' entries alone.
Entries are frozen primitives (home.core.caching.frozen): each load gets new instances.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.http import Http404
from wagtail.models import (
    Page,
    PageSubscription,
    Revision,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.signals import post_page_move

from home.core.caching.frozen import Frozen, freeze, thaw
from home.core.caching.receivers import register_versions
from home.core.caching.versions import bump_versions, current_version, current_versions

from .usage_count import USAGE_COUNT, usage_count

EDITOR_VERSION_KEY = "home:editor-version"
ENTRY_KEY = "home:editor-page:{version}:{page_id}"
SUBSCRIPTION_KEY = "home:editor-subscription:{version}:{user_id}:{page_id}"
SUBSCRIPTIONS_VERSION_KEY = "home:editor-subscriptions-version"
KEPT_SECONDS = 60 * 60
_CONTENT_OBJECT = Revision._meta.get_field("content_object")
REVISIONS = ("latest_revision", "live_revision")  # the page's foreign keys to its revisions
ACTIVE = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)  # `WorkflowState.objects.active()`
WATCHED = (Page, Revision, WorkflowState, TaskState, Workflow, Task, WorkflowPage, WorkflowTask)


@dataclass
class EditorPage:
    real_page: Page  # base Page; `specific`, `latest_revision`, `scheduled_revision` and the
    # in-progress workflow states (`_current_workflow_states`) are already on it
    parent: Page | None
    last_workflow_state: WorkflowState | None  # the latest one, read only when none is in progress
    workflow: Workflow | None  # the active workflow of the page or its nearest ancestor
    subscription: PageSubscription | None = None  # the user's, when kept or read along (else None)
    ancestors: tuple[Page, ...] = ()  # base records from the root down, the page's own included


def _freeze_state(state: WorkflowState) -> tuple:
    task_state = state.current_task_state
    return (
        freeze(state),
        freeze(task_state) if task_state else None,
        freeze(task_state.task) if task_state and task_state.task_id else None,
    )


def _thaw_state(frozen: tuple) -> WorkflowState:
    state, task_state, task = (thaw(item) if item is not None else None for item in frozen)
    if task_state is not None:
        if task is not None:
            task_state.task = task
        state.current_task_state = task_state
    return state


def _page_and_ancestors(page_id, *, user_id=None) -> tuple[Page, list[Page]]:
    """The page (base record) and its ancestors, each with its own workflow link, in one query (a
    path that starts the page's own), the page marked with whether it has any workflow state and any
    scheduled revision. Http404 for a missing page, as Wagtail's `get_object_or_404`."""
    own_id = Cast(OuterRef("pk"), CharField())
    pages = Page.objects.filter(Exists(Page.objects.filter(pk=page_id, path__startswith=OuterRef("path"))))
    if user_id is not None:  # the user's comment subscription to the page, read along
        mine = PageSubscription.objects.filter(page=OuterRef("pk"), user_id=user_id)
        pages = pages.annotate(
            _huddle_subscription=Subquery(mine.values("pk")[:1]),
            _huddle_notifications=Subquery(mine.values("comment_notifications")[:1]),
        )
    rows = list(
        pages.annotate(
            workflow_pk=F("workflowpage__workflow_id"),
            workflow_name=F("workflowpage__workflow__name"),
            workflow_active=F("workflowpage__workflow__active"),
            **{USAGE_COUNT: Case(When(pk=page_id, then=usage_count()), default=None)},  # the page's only
            _huddle_has_states=Exists(
                WorkflowState.objects.filter(base_content_type_id=_page_type_id(), object_id=own_id)
            ),
            _huddle_has_scheduled=Exists(
                Revision.objects.filter(
                    base_content_type_id=_page_type_id(), object_id=own_id, approved_go_live_at__isnull=False
                )
            ),
        ).order_by("depth")
    )
    real = next((row for row in rows if str(row.pk) == str(page_id)), None)
    if real is None:
        raise Http404("No Page matches the given query.")
    return real, rows


def _page_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk  # Django's content-type cache: no query


def _read(page_id, *, user_id=None) -> tuple[tuple, Frozen | None, int]:
    """From the database: Wagtail's reads, minus the repeated ones and those that would find nothing
    (see the module docstring); for `user_id`, that user's subscription to the page (frozen, None
    when there is none); and the page's usage count (never kept: see home/admin_views/usage_count.py)."""
    real, ancestors = _page_and_ancestors(page_id, user_id=user_id)
    mine = None
    if user_id is not None and real._huddle_subscription is not None:
        mine = freeze(
            PageSubscription.from_db(
                real._state.db,
                ["id", "user_id", "page_id", "comment_notifications"],
                [real._huddle_subscription, user_id, real.pk, bool(real._huddle_notifications)],
            )
        )
    # Wagtail's in-progress states (`prefetch_workflow_states`) and, when there is none, its last
    # state (the latest created: an in-progress state is always the latest), in one query
    states = []
    if real._huddle_has_states:
        latest = real.workflow_states.order_by("-created_at").values("pk")[:1]
        states = list(
            real.workflow_states.filter(Q(status__in=ACTIVE) | Q(pk__in=latest)).select_related(
                "current_task_state__task"
            )
        )
    current = [state for state in states if state.status in ACTIVE]
    last = None if current or not states else states[0]
    # the latest, live and scheduled revisions (`scheduled_revision`: the first by id) in one query
    ids = [pk for pk in (real.latest_revision_id, real.live_revision_id) if pk is not None]
    revisions = []
    if ids or real._huddle_has_scheduled:
        revisions = list(real.revisions.filter(Q(pk__in=ids) | Q(approved_go_live_at__isnull=False)).order_by("pk"))
    by_pk = {revision.pk: revision for revision in revisions}
    scheduled = next((revision for revision in revisions if revision.approved_go_live_at is not None), None)
    for name in REVISIONS:
        if getattr(real, f"{name}_id") in by_pk:
            setattr(real, name, by_pk[getattr(real, f"{name}_id")])
    related = tuple(name for name in REVISIONS if getattr(real, name) is not None)
    specific = real.specific
    for name in related:
        setattr(specific, name, getattr(real, name))
    nearest = next((p for p in reversed(ancestors) if p.workflow_pk is not None and p.workflow_active), None)
    workflow = None
    if nearest is not None:
        workflow = Workflow.from_db(
            real._state.db, ["id", "name", "active"], [nearest.workflow_pk, nearest.workflow_name, True]
        )
    parent = next((p for p in ancestors if p.depth == real.depth - 1), None)
    entry = (
        freeze(real, related=related),
        freeze(specific, related=related),
        freeze(scheduled) if scheduled is not None else None,
        tuple(_freeze_state(state) for state in current),
        freeze(parent) if parent is not None else None,
        freeze(last) if last is not None else None,
        freeze(workflow) if workflow is not None else None,
        tuple(freeze(page) for page in ancestors),  # the breadcrumbs (home/admin_views/breadcrumbs.py)
    )
    return entry, mine, getattr(real, USAGE_COUNT)


def editor_page(page_id, *, use_cache: bool = True, user=None) -> EditorPage:
    """The page's editor data: from the shared cache under the current version, else read (and
    kept). Raises Http404 for a missing page, as Wagtail does. With `user`, also that user's kept
    subscription (`subscription`), read with the page's entry in one round trip, and on a miss of
    both read along with the page (one query for both, each kept under its own version)."""
    version, subscriptions = current_versions([EDITOR_VERSION_KEY, SUBSCRIPTIONS_VERSION_KEY])
    key = ENTRY_KEY.format(version=version, page_id=int(page_id))
    mine_key = SUBSCRIPTION_KEY.format(version=subscriptions, user_id=user.pk, page_id=int(page_id)) if user else None
    found = cache.get_many([key, mine_key] if mine_key else [key]) if use_cache else {}
    entry, mine = found.get(key), found.get(mine_key)
    mine = mine[0] if type(mine) is tuple and len(mine) == 1 else None
    count = None
    if not (type(entry) is tuple and len(entry) == 8):
        read_along = user is not None and mine is None
        entry, read, count = _read(page_id, user_id=user.pk if read_along else None)
        fill = {key: entry}
        if read is not None:
            mine = read
            if use_cache:
                fill[mine_key] = (read,)
        cache.set_many(fill, KEPT_SECONDS)
    real_f, specific_f, scheduled_f, states_f, parent_f, last_f, workflow_f, ancestors_f = entry
    real = thaw(real_f)
    real._current_workflow_states = [_thaw_state(state) for state in states_f]
    if count is not None:  # read with the page in this request (the status panel's "Referenced N times")
        setattr(real, USAGE_COUNT, count)
    # cached properties of Wagtail's models: what Wagtail's own first access would have stored
    real.__dict__["scheduled_revision"] = thaw(scheduled_f) if scheduled_f is not None else None
    specific = thaw(specific_f)
    specific._current_workflow_states = [_thaw_state(state) for state in states_f]
    real.__dict__["specific"] = specific
    # `Revision.as_object()` starts from the revision's page (a generic foreign key): a copy of it
    parent = thaw(parent_f) if parent_f is not None else None
    for revision in (real.latest_revision if real.latest_revision_id else None, real.scheduled_revision):
        if revision is not None:
            page = thaw(specific_f)
            page._cached_parent_obj = parent  # treebeard's `get_parent()` keeps it there
            _CONTENT_OBJECT.set_cached_value(revision, page)
    return EditorPage(
        real_page=real,
        parent=parent,
        last_workflow_state=thaw(last_f) if last_f is not None else None,
        workflow=thaw(workflow_f) if workflow_f is not None else None,
        subscription=thaw(mine) if mine is not None else None,
        ancestors=tuple(thaw(page) for page in ancestors_f),
    )


def subscription(*, page: Page, user, known: PageSubscription | None = None):
    """Wagtail's `PageSubscription.objects.get_or_create(page, user, comment_notifications=False)`,
    kept under `SUBSCRIPTIONS_VERSION_KEY` (every subscription save or delete moves it; a first
    visit's INSERT leaves the pages' entries alone). `known`: the one `editor_page` found."""
    if known is not None and known.page_id == page.pk and known.user_id == user.pk:
        return known
    version = current_version(SUBSCRIPTIONS_VERSION_KEY)
    key = SUBSCRIPTION_KEY.format(version=version, user_id=user.pk, page_id=page.pk)
    entry = cache.get(key)
    if type(entry) is tuple and len(entry) == 1:
        return thaw(entry[0])
    found, _created = PageSubscription.objects.get_or_create(
        page=page, user=user, defaults={"comment_notifications": False}
    )
    cache.set(key, (freeze(found),), KEPT_SECONDS)
    return found


def editor_data_changed() -> None:
    bump_versions(EDITOR_VERSION_KEY)


def _moved(sender, **kwargs) -> None:
    editor_data_changed()


def connect() -> None:
    """Rows of the version table (home.core.caching.receivers), and the page moves."""
    for model in WATCHED:
        register_versions(model, EDITOR_VERSION_KEY)
    register_versions(PageSubscription, SUBSCRIPTIONS_VERSION_KEY)
    post_page_move.connect(_moved, dispatch_uid="home.editor-data.move")
