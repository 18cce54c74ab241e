"""The coach's list of reflections shared with her (Wagtail admin, coach only; others get 404)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coach
from program.models import ProgramPage

from .reflections import shared_reflections_page


class _MomentField(forms.CharField):
    """A date (2026-11-20, midnight in the coach's time zone) or an exact time (the dashboard
    panel's link sends the moment its window starts and ends)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("Enter a date like 2026-11-20.") from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class SharedReflectionFilterForm(forms.Form):
    """Invalid values are reported and ignored, never a 500."""

    program = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Program")
    since = _MomentField(required=False, label="Shared since", help_text="A date, e.g. 2026-11-20.")
    until = _MomentField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "All programs")] + [(p.pk, p.title) for p in programs]


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
