import mimetypes

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.roles import CoachMenuItem
from home.core.byte_ranges import ranged_response

from .documents import document_gate
from .models import ModuleUnlock
from .reports import views as report_views
from .reports.changes_panel import changes_panel_for, failed_panel_for, mark_seen
from .reports.dashboard import count_pages_once, slim_panels
from .reports.reflections_view import SharedReflectionsView


@hooks.register("before_serve_document")
def protect_paid_documents(document, request):
    return document_gate(document, request)


@hooks.register("before_serve_document", order=1000)  # after every access check (Wagtail's included)
def serve_byte_ranges(document, request):
    """Answer `Range:` requests (iOS Safari's video player needs 206); others Wagtail serves whole."""
    if "Range" not in request.headers:
        return None
    content_type = mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"
    return ranged_response(request, document.file.open("rb"), size=document.file.size, content_type=content_type)


class ModuleUnlockViewSet(SnippetViewSet):
    """The coach opens a dripped module early for one leader or for everyone, and sees who has what."""

    model = ModuleUnlock
    icon = "lock-open"
    menu_label = "Module unlocks"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["module", "user", "unlocked_by", "created_at"]
    list_filter = ["module"]
    panels = [FieldPanel("module"), FieldPanel("user")]

    def get_queryset(self, request):
        return ModuleUnlock.objects.select_related("module", "user", "unlocked_by")


register_snippet(ModuleUnlockViewSet)


@hooks.register("after_create_snippet")
def remember_who_unlocked(request, instance):
    if isinstance(instance, ModuleUnlock) and instance.unlocked_by_id is None:
        instance.unlocked_by = request.user
        instance.save(update_fields=["unlocked_by"])


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("program-reports/", report_views.ProgramListView.as_view(), name="program_reports"),
        path(
            "program-reports/<int:program_id>/learners/",
            report_views.LearnerReportView.as_view(),
            name="program_report_learners",
        ),
        path(
            "program-reports/<int:program_id>/learners/<int:user_id>/",
            report_views.LearnerView.as_view(),
            name="program_report_learner",
        ),
        path(
            "program-reports/<int:program_id>/quiz/", report_views.QuizReportView.as_view(), name="program_report_quiz"
        ),
        path("changes/seen/", mark_seen, name="lessons_changes_seen"),
        path("program-reports/reflections/", SharedReflectionsView.as_view(), name="shared_reflections"),
    ]


@hooks.register("construct_homepage_panels")
def dashboard_panels(request, panels):
    """Wagtail's panels within the query budget, then the coach's (see reports/dashboard.py)."""
    slim_panels(request, panels)
    if (failed := failed_panel_for(request)) is not None:
        panels.insert(0, failed)
    if (changes := changes_panel_for(request)) is not None:
        panels.append(changes)


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its items
def dashboard_page_count(request, items):
    count_pages_once(request, items)


@hooks.register("register_admin_menu_item")
def report_menu_item():
    return CoachMenuItem("Program reports", reverse("program_reports"), icon_name="table", order=300)


@hooks.register("register_admin_menu_item")
def funnel_menu_item():
    return CoachMenuItem("Webinar funnel", reverse("lessons:funnel"), icon_name="pick", order=305)


@hooks.register("insert_global_admin_css")
def coach_report_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/coach-admin.css"))
