"""The coach's "What changed since you last looked" panel on the Wagtail dashboard, and its
"Mark all as seen" button (lessons/wagtail_hooks.py registers both)."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import get_template
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from accounts.roles import is_coach
from home.runtime.wagtail_hooks import FailedEmailsPanel

from .changes import Changes, dashboard_mark_seen
from .dashboard import dashboard_for


class ChangesPanel(Component):
    name = "changes_since_last_look"
    order = 40  # above Wagtail's own panels (100+), below nothing but the failed-emails warning
    template_name = "lessons/admin/changes_panel.html"

    def __init__(self, request, changes: Changes):
        self.request = request
        self.changes = changes

    def render_html(self, parent_context=None):
        # With the request, so the form gets its CSRF token and the coach's time zone applies.
        return get_template(self.template_name).render({"changes": self.changes}, request=self.request)


def changes_panel_for(request) -> ChangesPanel | None:
    """The panel for the coach; nothing for anyone else."""
    if not is_coach(request.user):
        return None
    return ChangesPanel(request, dashboard_for(request).changes)


def failed_panel_for(request) -> FailedEmailsPanel | None:
    """The warning about emails and payment events that failed for good: the coach's, when any
    (the rows come with the dashboard's counts: no query of its own)."""
    if not is_coach(request.user):
        return None
    count = len(dashboard_for(request).changes.failed)
    return FailedEmailsPanel(count) if count else None


@require_POST
def mark_seen(request):
    """Move the coach's mark to the moment the panel she read was drawn (sent back by the form)."""
    if not is_coach(request.user):
        raise PermissionDenied
    try:
        until = datetime.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        messages.error(request, "Nothing was marked: the page was out of date. Please try again.")
        return redirect("wagtailadmin_home")
    if until.tzinfo is None:
        messages.error(request, "Nothing was marked: the page was out of date. Please try again.")
        return redirect("wagtailadmin_home")
    dashboard_mark_seen(user=request.user, until=until)
    messages.success(request, "Marked as seen. New changes will show here from now on.")
    return redirect("wagtailadmin_home")
