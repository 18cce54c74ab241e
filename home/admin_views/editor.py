"""Wagtail's page editor, subclassed through Wagtail's page viewset (home/admin_views/explorer.py
registers it) with fewer queries (issue 16); same form, panels, locks, workflow, comments, previews
and editing sessions as Wagtail's `EditView`:

- The privacy mark reads the restricted pages' paths, and the "view live" URL the Site and the
  site root paths, from the shared, versioned cache (home.core.caching.routing: one read of the
  Sites fills both cold).
- Wagtail's editing-sessions cleanup (`EditingSession.cleanup`: delete the sessions that have not
  pinged for an hour, a SELECT and, when some are found, a DELETE on every editor load) runs at
  most once per `SESSION_CLEANUP_SECONDS` for the whole site (a shared-cache `add`), not on every
  load. A stale session is never shown anyway: the ping lists only the sessions seen in the last
  25 minutes (`EditingSession.objects.available()`); one lives at most that much longer in the table.
  Wagtail has no setting for the cleanup (`WAGTAIL_EDITING_SESSION_PING_INTERVAL` is the browser's
  ping interval, not the cleanup's); the session of this load is created as Wagtail creates it.
- What Wagtail reads about the page before drawing the form (the page, its specific instance, the
  latest and scheduled revisions, the parent, the workflow states and the nearest workflow) comes
  from home/admin_views/editor_data.py: read once instead of several times, and for a GET kept in
  the shared cache under a version that every page, revision or workflow write moves. `dispatch`
  is Wagtail's `EditView.dispatch` (Wagtail 8.0) with those reads replaced: Wagtail reads them
  inline there, with no method to override. The form, panels, locks, comments, previews,
  scheduling, subscription and permission checks run as in Wagtail; a POST reads the page afresh.
- `Page.get_workflow` (the action menu's "Submit to <workflow>" label) walks the ancestors one
  query at a time, and `Page.has_workflow` (asked twice by the action menu through the permission
  tester) queries them each time: the edited page is given the workflow editor_data found for it,
  as instance attributes (`get_workflow`, and `permissions_for_user` returning Wagtail's tester
  with `has_workflow` known): Wagtail's model methods have no other hook, and the page types are
  several apps' own classes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.models import EditingSession
from wagtail.admin.ui.editing_sessions import EditingSessionsModule
from wagtail.admin.ui.side_panels import PageStatusSidePanel
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.edit import EditView
from wagtail.exceptions import PageClassNotFoundError
from wagtail.models import Page, PagePermissionTester, get_default_page_content_type
from wagtail.models.sites import SiteRootPath

from home.core.caching.routing import _restricted_summary, site_for_request
from home.core.caching.urls import site_root_paths

from .breadcrumbs import keep_ancestors
from .editor_data import REVISIONS, editor_page, subscription
from .usage_count import UsageCountedPageStatusSidePanel

SESSION_CLEANUP_SECONDS = 5 * 60
SESSION_CLEANUP_KEY = "home:editing-session-cleanup"


def _cached_site_and_privacy(request) -> None:
    site_for_request(request)  # sets request._wagtail_site, which Site.find_for_request reads
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Wagtail's `Site.get_site_root_paths` (the "view live" and breadcrumb URLs), kept on the
        # request where `Page._get_site_root_paths(request)` looks first: read with the Sites above
        request._wagtail_cached_site_root_paths = [SiteRootPath(*row) for row in site_root_paths()]
    # What Wagtail's `test_page_is_public` tag reads once per request (the restricted pages' paths)
    request.all_page_view_restriction_paths = _restricted_summary()[0]


def _known_root_paths(request, *pages) -> None:
    """The site root paths kept on the request, also where `page.url` (no request: the status tag)
    looks for them on the page itself (`Page._get_site_root_paths`)."""
    if hasattr(request, "_wagtail_cached_site_root_paths"):
        for page in pages:
            if page is not None:
                page._wagtail_cached_site_root_paths = request._wagtail_cached_site_root_paths


class CachedSiteAndPrivacyMixin:
    def dispatch(self, request, *args, **kwargs):
        _cached_site_and_privacy(request)
        return super().dispatch(request, *args, **kwargs)


def editing_session_cleanup_due() -> bool:
    """True for the first caller in each `SESSION_CLEANUP_SECONDS` (across processes)."""
    return cache.add(SESSION_CLEANUP_KEY, True, timeout=SESSION_CLEANUP_SECONDS)


class _KnownWorkflowPermissionTester(PagePermissionTester):
    """Wagtail's tester, with `can_submit_for_moderation` asking `has_workflow` (an ancestors
    query on each call; the action menu asks twice) of what editor_data found."""

    def __init__(self, user, page, *, has_workflow: bool):
        super().__init__(user, page)
        self.has_workflow = has_workflow

    def can_submit_for_moderation(self):  # Wagtail's, with `self.page.has_workflow` known
        return not self.page_locked() and self.has_workflow and not self.page.workflow_in_progress


def _known_workflow(page, data) -> None:
    """Give `page` the workflow editor_data found for it: `get_workflow()` (the action menu's label)
    and its testers' `has_workflow` (see the module docstring)."""
    workflow = data.workflow if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True) else None
    page.get_workflow = lambda: workflow
    page.permissions_for_user = lambda user: _KnownWorkflowPermissionTester(
        user, page, has_workflow=workflow is not None
    )


class FewerQueriesEditView(CachedSiteAndPrivacyMixin, EditView):
    def dispatch(self, request, page_id, **kwargs):
        """Wagtail's `EditView.dispatch` with the page's reads from `editor_page` (the module
        docstring); then the base view's dispatch, as Wagtail's ends."""
        _cached_site_and_privacy(request)
        data = editor_page(page_id, use_cache=request.method in ("GET", "HEAD"), user=request.user)
        self.real_page_record = data.real_page
        self.latest_revision = self.real_page_record.get_latest_revision()
        self.scheduled_revision = self.real_page_record.scheduled_revision
        self.page_content_type = self.real_page_record.cached_content_type
        self.page_class = self.real_page_record.specific_class
        if self.page_class is None:
            raise PageClassNotFoundError(
                f"The page '{self.real_page_record}' cannot be edited because the model class used to create"
                " it can no longer be found in the codebase."
            )
        self.revision_id = kwargs.get("revision_id")
        self.is_reverting = bool(self.revision_id)
        self.previous_revision = None
        if self.is_reverting:
            self.previous_revision = get_object_or_404(self.real_page_record.revisions, id=self.revision_id)
        self.page = self.get_object()
        _known_workflow(self.page, data)
        keep_ancestors(self.page, data.ancestors)  # the header's breadcrumbs
        _known_root_paths(request, self.page)
        # what Wagtail's first access would have kept on the page: its parent (treebeard keeps it
        # for `get_parent()`, which the status panel asks again) and its scheduled revision
        self.page._cached_parent_obj = self.parent = data.parent
        self.page.__dict__.setdefault("scheduled_revision", self.scheduled_revision)
        if not hasattr(self.page, "_current_workflow_states"):  # a page made from the latest revision
            self.page._current_workflow_states = self.real_page_record._current_workflow_states
            for name in REVISIONS:  # and its revisions, when they are the record's
                if getattr(self.page, f"{name}_id") == getattr(self.real_page_record, f"{name}_id") is not None:
                    setattr(self.page, name, getattr(self.real_page_record, name))
        self.scheduled_page = self.real_page_record.get_scheduled_revision_as_object()
        _known_root_paths(request, self.scheduled_page)

        self.page_perms = self.page.permissions_for_user(self.request.user)
        self.lock = self.page.get_lock()
        self.locked_for_user = self.lock is not None and self.lock.for_user(self.request.user)
        if not self.page_perms.can_edit():
            raise PermissionDenied
        self.next_url = get_valid_next_url_from_request(self.request)
        response = self.run_hook("before_edit_page", self.request, self.page)
        if response:
            if self.expects_json_response and not self.response_is_json(response):
                return self.json_error_response(
                    "blocked_by_hook",
                    _("Request to edit %(model_name)s was blocked by hook.") % {"model_name": Page._meta.verbose_name},
                )
            return response

        self.subscription = subscription(page=self.page, user=self.request.user, known=data.subscription)
        self.edit_handler = self.page_class.get_edit_handler()
        self.form_class = self.edit_handler.get_form_class()
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            self.workflow_state = self.page.current_workflow_state or data.last_workflow_state
        else:
            self.workflow_state = None
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            self.locale = self.page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []
        self.workflow_tasks = self.workflow_state.all_tasks_with_status() if self.workflow_state else []
        self.has_unsaved_changes = False
        self.errors_debug = None
        self.autosave_interval = getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500)
        self.autosave_enabled = self.autosave_interval > 0
        return super(EditView, self).dispatch(request, page_id, **kwargs)

    def get_side_panels(self):
        """Wagtail's, the status panel reading the usage count read with the page (when it was read
        in this request: home/admin_views/usage_count.py) instead of its own COUNT query."""
        panels = super().get_side_panels()
        for panel in panels:
            if type(panel) is PageStatusSidePanel:
                panel.__class__ = UsageCountedPageStatusSidePanel  # same panel, one method overridden
        return panels

    def get_editing_sessions(self):
        if editing_session_cleanup_due():
            return super().get_editing_sessions()  # Wagtail's, with its cleanup
        # Wagtail's EditView.get_editing_sessions, without the cleanup
        session = EditingSession.objects.create(
            user=self.request.user,
            content_type=get_default_page_content_type(),
            object_id=self.page.pk,
            last_seen_at=timezone.now(),
        )
        app_label, model_name = Page._meta.app_label, Page._meta.model_name
        return EditingSessionsModule(
            session,
            reverse("wagtailadmin_editing_sessions:ping", args=(app_label, model_name, self.page.pk, session.id)),
            reverse("wagtailadmin_editing_sessions:release", args=(session.id,)),
            [],
            self.page.latest_revision_id,
            self.latest_revision_created_at,
        )
