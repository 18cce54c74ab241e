"""Coach reports in the Wagtail admin (staff only): learners per program and quiz results, with CSV."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coach
from program.models import Enrollment, ProgramPage

from ..models import ModulePage, Nudge
from ..notices import module_unlock
from ..nudges import NudgeError, nudge_send
from . import learners, quiz
from .forms import BulkNudgeForm, NudgeForm, ReportFilterForm
from .learner_page import learner_page


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
    """Every leader in a program (filtered by enrollment dates), the stuck ones listed apart with
    boxes to tick and one nudge for all of them."""

    header_icon = "user"
    breadcrumbs_items = []
    template_name = "lessons/admin/learners.html"

    def get(self, request, program_id: int, nudge_form=None):
        self.program = get_object_or_404(ProgramPage, pk=program_id)
        self.filters = ReportFilterForm(request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        self.stuck_only = bool(data.get("stuck")) or request.GET.get("stuck") == "1"
        self.stuck_days = data.get("stuck_days") or learners.STUCK_DAYS
        enrolled_from, enrolled_before = self.filters.range()
        self.rows = learners.learner_report(
            program=self.program,
            enrolled_from=enrolled_from,
            enrolled_before=enrolled_before,
            stuck_days=self.stuck_days,
        )
        self.stuck_rows = [row for row in self.rows if row.stuck]
        shown = self.stuck_rows if self.stuck_only else self.rows
        if request.GET.get("format") == "csv":
            suffix = "-stuck" if self.stuck_only else ""
            return _csv_response(learners.learner_csv(shown), f"{self.program.slug}-learners{suffix}.csv")
        self.shown = shown
        self.nudge_form = nudge_form or BulkNudgeForm(
            initial={
                "subject": f"Your next step in {self.program.title}",
                "body": STUCK_NUDGE.format(program=self.program.title),
                "learners": [row.user.pk for row in self.stuck_rows],
            },
            learner_choices=[(row.user.pk, str(row.user)) for row in self.stuck_rows],
        )
        return super().get(request, program_id=program_id)

    def post(self, request, program_id: int):
        """Nudge the ticked leaders (any active leader of this program; others are ignored)."""
        program = get_object_or_404(ProgramPage, pk=program_id)
        enrolled = {
            e.user_id: e.user
            for e in Enrollment.objects.filter(program=program, status=Enrollment.Status.ACTIVE).select_related("user")
        }
        form = BulkNudgeForm(request.POST, learner_choices=[(pk, str(user)) for pk, user in enrolled.items()])
        if form.is_valid():
            try:
                sent = nudge_send(
                    coach=request.user,
                    learners=[enrolled[pk] for pk in form.cleaned_data["learners"]],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    reason=Nudge.STUCK,
                    link=settings.SITE_URL + (program.url or ""),
                )
            except NudgeError as exc:
                form.add_error(None, str(exc))
            else:
                count = len(sent)
                messages.success(request, f"Nudge sent to {count} leader{'s' if count != 1 else ''}.")
                return redirect(request.get_full_path())
        messages.error(request, "The nudge was not sent: " + " ".join(e for errs in form.errors.values() for e in errs))
        return self.get(request, program_id, nudge_form=form)

    def get_page_title(self):
        return f"Learners: {self.program.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "program": self.program,
                "rows": self.shown,
                "stuck_rows": self.stuck_rows,
                "stuck_only": self.stuck_only,
                "stuck_days": self.stuck_days,
                "filters": self.filters,
                "nudge_form": self.nudge_form,
                "ticked": _ticked(self.nudge_form),
                "query": self.request.GET.urlencode(),
                "zone": timezone.get_current_timezone_name(),
                "now": timezone.now(),
            }
        )
        return context


STUCK_NUDGE = (
    "It has been a little while since your last lesson in {program}, and I wanted to check in.\n\n"
    "One lesson this week is enough to keep your momentum. If something is in the way, reply and tell me."
)


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


class LearnerView(_CoachOnly, WagtailAdminTemplateMixin, TemplateView):
    """One leader in one program: progress, quizzes, reflections (if shared), commitments, unlocks,
    certificate; the coach nudges them (logged) or opens a module early."""

    header_icon = "user"
    breadcrumbs_items = []
    template_name = "lessons/admin/learner.html"

    def dispatch(self, request, *args, program_id: int, user_id: int, **kwargs):
        if not is_coach(request.user):
            raise Http404  # not even whether this leader exists
        self.program = get_object_or_404(ProgramPage, pk=program_id)
        self.user_id = user_id
        return super().dispatch(request, *args, program_id=program_id, user_id=user_id, **kwargs)

    def get(self, request, program_id: int, user_id: int, form=None):
        self.page = learner_page(program=self.program, learner_id=user_id)
        self.form = form or NudgeForm(
            initial={
                "subject": f"Checking in on {self.program.title}",
                "body": f"Hi {self.page.learner.first_name},\n\n",
            }
        )
        return super().get(request)

    def post(self, request, program_id: int, user_id: int):
        enrollment = get_object_or_404(Enrollment.objects.select_related("user"), program=self.program, user_id=user_id)
        learner = enrollment.user
        if request.POST.get("action") == "unlock":
            module = ModulePage.objects.filter(
                pk=_int(request.POST.get("module")), path__startswith=self.program.path, depth=self.program.depth + 1
            ).first()
            if module is None:
                messages.error(request, "That module is not part of this program.")
            else:
                module_unlock(module=module, user=learner, unlocked_by=request.user)
                messages.success(request, f"{module.title} is open for {learner}. They have been emailed.")
            return redirect(request.path)
        form = NudgeForm(request.POST)
        if not form.is_valid():
            return self.get(request, program_id, user_id, form=form)
        try:
            sent = nudge_send(
                coach=request.user,
                learners=[learner],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                reason=Nudge.COACH,
            )
        except NudgeError as exc:
            form.add_error(None, str(exc))
            return self.get(request, program_id, user_id, form=form)
        if sent:
            messages.success(request, f"Your nudge is on its way to {learner.email}.")
        else:
            messages.warning(request, "That nudge was already sent a moment ago; it was not sent again.")
        return redirect(request.path)

    def get_page_title(self):
        return f"{self.page.learner}: {self.program.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"program": self.program, "page": self.page, "form": self.form, "now": timezone.now()})
        return context


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ticked(form) -> set[int]:
    values = form.data.getlist("learners") if form.is_bound else form.initial.get("learners", [])
    return {pk for pk in (_int(value) for value in values) if pk is not None}
