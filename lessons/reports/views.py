"""Coach reports in the Wagtail admin (staff only): learners per program and quiz results, with CSV."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coach
from program.models import ProgramPage

from . import learners, quiz


class _CoachOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_coach(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ProgramListView(_CoachOnly, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Program reports"
    header_icon = "table"
    breadcrumbs_items = []
    template_name = "lessons/admin/program_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programs"] = ProgramPage.objects.order_by("path")
        return context


class LearnerReportView(_CoachOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "user"
    breadcrumbs_items = []
    template_name = "lessons/admin/learners.html"

    def get(self, request, program_id: int):
        self.program = get_object_or_404(ProgramPage, pk=program_id)
        self.stuck_only = request.GET.get("stuck") == "1"
        self.rows = learners.learner_report(program=self.program, stuck_only=self.stuck_only)
        if request.GET.get("format") == "csv":
            suffix = "-stuck" if self.stuck_only else ""
            return _csv_response(learners.learner_csv(self.rows), f"{self.program.slug}-learners{suffix}.csv")
        return super().get(request, program_id=program_id)

    def get_page_title(self):
        return f"Learners: {self.program.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "program": self.program,
                "rows": self.rows,
                "stuck_only": self.stuck_only,
                "stuck_days": learners.STUCK_DAYS,
                "now": timezone.now(),
            }
        )
        return context


class QuizReportView(_CoachOnly, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"
    breadcrumbs_items = []
    template_name = "lessons/admin/quiz.html"

    def get(self, request, program_id: int):
        self.program = get_object_or_404(ProgramPage, pk=program_id)
        self.rows = quiz.quiz_report(program=self.program)
        if request.GET.get("format") == "csv":
            return _csv_response(quiz.quiz_csv(self.rows), f"{self.program.slug}-quiz-results.csv")
        return super().get(request, program_id=program_id)

    def get_page_title(self):
        return f"Quiz results: {self.program.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"program": self.program, "rows": self.rows})
        return context
