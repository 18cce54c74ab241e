"""The coach's list of issued certificates in the Wagtail admin (coach only; others get 404),
filterable by program and by when they were issued, 25 a page. The dashboard's "certificates
issued" count links here with its exact window."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coach
from program.models import ProgramPage
from program.report_filters import MomentField, ProgramFilterForm

from .selectors import issued_certificates_page


class CertificateFilterForm(ProgramFilterForm):
    since = MomentField(required=False, label="Issued from", help_text="A date, e.g. 2026-11-20.")
    until = MomentField(required=False, label="Issued before", help_text="A date, e.g. 2026-12-01.")


class CertificateReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Certificates issued"
    header_icon = "doc-full"
    breadcrumbs_items = []
    template_name = "certificates/admin_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_coach(request.user):
            raise Http404  # names and emails of learners: not even whether the page exists
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programs = list(ProgramPage.objects.order_by("path").only("pk", "title", "path"))
        filters = CertificateFilterForm(self.request.GET or None, programs=programs)
        data = filters.cleaned_data if filters.is_valid() else {}
        page = issued_certificates_page(
            program_id=data.get("program"),
            since=data.get("since"),
            until=data.get("until"),
            page_number=self.request.GET.get("p"),
        )
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update({"filters": filters, "page": page, "rows": page.object_list, "query": query.urlencode()})
        return context
