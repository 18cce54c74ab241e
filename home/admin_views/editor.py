"""Wagtail's page editor, subclassed through Wagtail's page viewset (home/admin_views/explorer.py
registers it) with fewer queries (issue 16); same form, panels, locks, workflow, comments, previews
and editing sessions as Wagtail's `EditView`:

- The privacy mark reads the restricted pages' paths, and the "view live" URL the Site, from the
  shared, versioned cache (home.core.caching.routing).
- Wagtail's editing-sessions cleanup (`EditingSession.cleanup`: delete the sessions that have not
  pinged for an hour, a SELECT and, when some are found, a DELETE on every editor load) runs at
  most once per `SESSION_CLEANUP_SECONDS` for the whole site (a shared-cache `add`), not on every
  load. A stale session is never shown anyway: the ping lists only the sessions seen in the last
  25 minutes (`EditingSession.objects.available()`); one lives at most that much longer in the table.
  Wagtail has no setting for the cleanup (`WAGTAIL_EDITING_SESSION_PING_INTERVAL` is the browser's
  ping interval, not the cleanup's); the session of this load is created as Wagtail creates it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.admin.ui.editing_sessions import EditingSessionsModule
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page, get_default_page_content_type

from home.core.caching.routing import _restricted_summary, site_for_request

SESSION_CLEANUP_SECONDS = 5 * 60
SESSION_CLEANUP_KEY = "home:editing-session-cleanup"


class CachedSiteAndPrivacyMixin:
    def dispatch(self, request, *args, **kwargs):
        site_for_request(request)  # sets request._wagtail_site, which Site.find_for_request reads
        # What Wagtail's `test_page_is_public` tag reads once per request (the restricted pages' paths)
        request.all_page_view_restriction_paths = _restricted_summary()[0]
        return super().dispatch(request, *args, **kwargs)


def editing_session_cleanup_due() -> bool:
    """True for the first caller in each `SESSION_CLEANUP_SECONDS` (across processes)."""
    return cache.add(SESSION_CLEANUP_KEY, True, timeout=SESSION_CLEANUP_SECONDS)


class FewerQueriesEditView(CachedSiteAndPrivacyMixin, EditView):
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
