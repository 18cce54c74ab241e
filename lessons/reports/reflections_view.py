"""The coach's list of reflections shared with her (Wagtail admin, coach only; others get 404)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coach
from program.models import ProgramPage
from program.report_filters import MomentField, ProgramFilterForm

from .reflections import shared_reflections_page


class SharedReflectionFilterForm(ProgramFilterForm):
    since = MomentField(required=False, label="Shared since", help_text="A date, e.g. 2026-11-20.")
    until = MomentField(required=False, widget=forms.HiddenInput)


class SharedReflectionsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Reflections shared with you"
    header_icon = "openquote"
    breadcrumbs_items = []
    template_name = "lessons/admin/shared_reflections.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_coach(request.user):
            raise Http404  # leaders' reflections: not even whether the page exists
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programs = list(ProgramPage.objects.order_by("path"))
        filters = SharedReflectionFilterForm(self.request.GET or None, programs=programs)
        data = filters.cleaned_data if filters.is_valid() else {}
        program = next((p for p in programs if p.pk == data.get("program")), None)
        page, rows = shared_reflections_page(
            programs=programs,
            program=program,
            since=data.get("since"),
            until=data.get("until"),
            page_number=self.request.GET.get("p"),
        )
        query = self.request.GET.copy()
        query.pop("p", None)
        for row in rows:
            # Without the request: the site root paths come from the cache, not a query per request.
            row.lesson_url = row.answer.lesson.get_url()
        context.update({"filters": filters, "page": page, "rows": rows, "query": query.urlencode()})
        return context
