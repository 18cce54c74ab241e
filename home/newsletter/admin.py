"""Newsletter in the Wagtail admin: subscribers (status, source, search, CSV export) and issues
(delivered counts, "send" and "send test to me")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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

from .forms import IssueSendForm
from .models import NewsletterIssuePage, NewsletterSubscriber
from .selectors import newsletter_issue_recipients_count
from .sending import newsletter_issue_send_test, postal_address
from .services import newsletter_issue_schedule_cancel, newsletter_issue_send_request


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
        {"issues": rows, "confirmed": confirmed, "header_title": "Newsletter issues", "now": timezone.now()},
    )


def issue_send(request, issue_id: int):
    """The confirmation step: the exact number of people it goes to, now or at a chosen time."""
    _staff_only(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=issue_id)
    if issue.sent_at is not None:
        messages.error(request, f"“{issue.subject}” was sent on {issue.sent_at:%d %b %Y}; it cannot be sent again.")
        return redirect("newsletter_admin_issues")
    form = IssueSendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        send_at = form.cleaned_data["send_at"]
        try:
            newsletter_issue_send_request(issue_id=issue.pk, send_at=send_at)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            when = "now" if send_at is None else f"at {timezone.localtime(send_at):%d %b %Y %H:%M %Z}"
            messages.success(request, f"“{issue.subject}” will be sent {when}.")
            return redirect("newsletter_admin_issues")
    context = {
        "issue": issue,
        "form": form,
        "recipients": newsletter_issue_recipients_count(issue=issue),
        "postal_address": postal_address(),
        "zone": timezone.get_current_timezone_name(),
        "header_title": "Send newsletter issue",
    }
    return TemplateResponse(request, "newsletter/admin_issue_send.html", context, status=400 if form.errors else 200)


@require_POST
def issue_action(request, issue_id: int):
    _staff_only(request)
    issue = get_object_or_404(NewsletterIssuePage, pk=issue_id)
    action = request.POST.get("action")
    if action == "test":
        newsletter_issue_send_test(issue=issue, email=request.user.email, first_name=request.user.get_short_name())
        messages.success(request, f"Test sent to {request.user.email}.")
    elif action == "resume" and issue.sent_at is None and not issue.deliveries.exists():
        messages.error(request, "Sending has not started: use “Send…” to confirm it first.")
    elif action == "resume":  # only an interrupted send: the service refuses an issue already sent
        try:
            newsletter_issue_send_request(issue_id=issue.pk)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Sending “{issue.subject}” resumes now.")
    elif action == "cancel":
        try:
            newsletter_issue_schedule_cancel(issue_id=issue.pk)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"“{issue.subject}” is no longer scheduled.")
    else:
        messages.error(request, "Unknown action; nothing changed.")
    return redirect("newsletter_admin_issues")


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("newsletter/issues/", issues, name="newsletter_admin_issues"),
        path("newsletter/issues/<int:issue_id>/", issue_action, name="newsletter_admin_issue_action"),
        path("newsletter/issues/<int:issue_id>/send/", issue_send, name="newsletter_admin_issue_send"),
    ]


@hooks.register("register_admin_menu_item")
def _menu():
    return CoachMenuItem("Send newsletter", reverse("newsletter_admin_issues"), icon_name="mail", order=255)
