"""In the Wagtail admin: "N emails or payment events could not be handled" on the dashboard, and a
page listing them (emails that could not be sent, Stripe events that could not be processed while
Stripe's API was away) with a retry button (each, or all)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.roles import is_coach

from .models import EmailSuppression
from .selectors import failed_outbound_tasks
from .services import failed_task_retry


def failed_work(request):
    if not is_coach(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "runtime/admin_failed.html",
        {"rows": failed_outbound_tasks(), "header_title": "Emails and payment events that could not be handled"},
    )


@require_POST
def failed_work_retry(request):
    if not is_coach(request.user):
        raise PermissionDenied
    task_id = request.POST.get("task_id") or None
    if task_id is not None:
        try:
            uuid.UUID(task_id)
        except ValueError:
            messages.error(request, "Unknown task; nothing changed.")
            return redirect("runtime_failed_work")
    queued = failed_task_retry(task_id=task_id)
    messages.success(request, f"{queued} queued again." if queued else "Nothing to retry.")
    return redirect("runtime_failed_work")


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("background/failed/", failed_work, name="runtime_failed_work"),
        path("background/failed/retry/", failed_work_retry, name="runtime_failed_work_retry"),
    ]


class FailedEmailsPanel(Component):
    """The dashboard's warning (lessons.reports.changes_panel shows it, with the rows the dashboard's
    counts already read)."""

    name = "failed_emails"
    order = 50

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="panel help-block help-warning"><p><strong>{} email{} or payment event{} could not be '
            'handled</strong> after every retry. <a href="{}">See them and retry</a>.</p></section>',
            self.count,
            "" if self.count == 1 else "s",
            "" if self.count == 1 else "s",
            reverse("runtime_failed_work"),
        )


class SuppressionViewSet(ModelViewSet):
    """Addresses the email provider reported as bounced or complaining: nothing is sent to them.
    Deleting a row lets mail go to the address again (after the person fixed their mailbox)."""

    model = EmailSuppression
    icon = "warning"
    menu_label = "Suppressed emails"
    menu_order = 265
    add_to_admin_menu = True
    list_display = ["email", "reason", "esp", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email", "detail"]
    list_export = ["email", "reason", "esp", "detail", "created_at"]
    export_filename = "suppressed-emails"
    form_fields = ["email", "reason", "detail"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def _suppressions():
    return SuppressionViewSet("runtime_suppressions")
