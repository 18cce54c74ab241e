"""Newsletter in the Wagtail admin: subscribers (status, source, search, CSV export) and issues
(delivered counts, "send" and "send test to me")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.roles import CoachMenuItem, is_coach
from home.core.spreadsheet import SafeSpreadsheetExportMixin

from .models import NewsletterIssuePage, NewsletterSubscriber
from .sending import newsletter_issue_send_test
from .tasks import newsletter_issue_send


class SubscriberIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The subscriber list; its CSV export cannot carry a formula (a first name like "=HYPERLINK(...)")."""


class SubscriberViewSet(ModelViewSet):
    model = NewsletterSubscriber
    index_view_class = SubscriberIndexView
    icon = "mail"
    menu_label = "Newsletter subscribers"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["email", "first_name", "status", "source", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email", "first_name", "source"]
    list_export = ["email", "first_name", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    export_filename = "newsletter-subscribers"
    form_fields = ["first_name"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def _subscribers():
    return SubscriberViewSet("newsletter_subscribers")


def _staff_only(request):
    if not is_coach(request.user):
        raise PermissionDenied


def issues(request):
    _staff_only(request)
    rows = NewsletterIssuePage.objects.order_by("-first_published_at", "-pk").annotate(
        delivered=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False))
    )
    confirmed = NewsletterSubscriber.objects.filter(status=NewsletterSubscriber.Status.CONFIRMED).count()
    return TemplateResponse(
        request,
        "newsletter/admin_issues.html",
        {"issues": rows, "confirmed": confirmed, "header_title": "Newsletter issues"},
    )


@require_POST
def issue_action(request, issue_id: int):
    _staff_only(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=issue_id)
    action = request.POST.get("action")
    if action == "test":
        newsletter_issue_send_test(issue=issue, email=request.user.email, first_name=request.user.get_short_name())
        messages.success(request, f"Test sent to {request.user.email}.")
    elif action == "send":
        if not issue.live:
            messages.error(request, "Publish the issue before sending it.")
        else:
            NewsletterIssuePage.objects.filter(pk=issue.pk, send_requested_at__isnull=True).update(
                send_requested_at=timezone.now()
            )
            newsletter_issue_send.enqueue(issue_id=issue.pk)
            messages.success(request, f"“{issue.subject}” is being sent to confirmed subscribers.")
    else:
        messages.error(request, "Unknown action; nothing changed.")
    return redirect("newsletter_admin_issues")


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("newsletter/issues/", issues, name="newsletter_admin_issues"),
        path("newsletter/issues/<int:issue_id>/", issue_action, name="newsletter_admin_issue_action"),
    ]


@hooks.register("register_admin_menu_item")
def _menu():
    return CoachMenuItem("Send newsletter", reverse("newsletter_admin_issues"), icon_name="mail", order=255)
