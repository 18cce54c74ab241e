"""/coach/funnel/: the webinar funnel for the coach, on the site's own layout (works without
JavaScript and at phone width). Anyone else gets 404, as if it did not exist."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.roles import is_coach

from .chart import funnel_chart, months_chart
from .export import funnel_csv
from .selectors import ALL, STAGE_LABELS, STAGES, funnel_report, funnel_webinars

MAX_DAYS = 3 * 366
TABLE_STAGES = [key for key, _ in STAGES if key != "registered"]


class FunnelFilterForm(forms.Form):
    start = forms.DateField(label="Sessions from", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    end = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    webinar = forms.TypedChoiceField(label="Webinar", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, webinars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["webinar"].choices = [("", "All webinars")] + [(w["id"], w["title"]) for w in webinars]

    def period(self, today: dt.date) -> tuple[dt.date, dt.date, int | None]:
        """The chosen range, or the last twelve months; a backwards or over-long range is mended."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or (end.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
        if start > end:
            start, end = end, start
        start = max(start, end - dt.timedelta(days=MAX_DAYS))
        return start, end, data.get("webinar")


@login_required
def funnel(request):
    if not is_coach(request.user):
        raise Http404
    webinars = funnel_webinars()
    form = FunnelFilterForm(request.GET or None, webinars=webinars)
    start, end, webinar_id = form.period(timezone.localdate())
    zone = timezone.get_current_timezone()
    report = funnel_report(start=start, end=end, webinar_id=webinar_id, zone=zone, webinars=webinars)
    filters = {"start": start.isoformat(), "end": end.isoformat(), **({"webinar": webinar_id} if webinar_id else {})}
    show, row_key = request.GET.get("show", ""), request.GET.get("row", ALL)
    chosen_row = report.row(row_key) if show in STAGE_LABELS else None
    people = chosen_row.people.get(show, []) if chosen_row else None
    if request.GET.get("format") == "csv":
        everyone = people if people is not None else report.people
        name = f"webinar-funnel-{start}-{end}" + (f"-{show}" if people is not None else "") + ".csv"
        response = HttpResponse(funnel_csv(everyone, zone=zone), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def link(**extra) -> str:
        return "?" + urlencode({**filters, **extra})

    rows = [
        {
            "row": row,
            "registered": (row.count("registered"), link(show="registered", row=row.key) + "#people"),
            "cells": [(row.count(stage), link(show=stage, row=row.key) + "#people") for stage in TABLE_STAGES],
            "revenue_link": link(show="paid", row=row.key) + "#people",
        }
        for row in report.rows
    ]
    context = {
        "form": form,
        "report": report,
        "rows": rows,
        "stage_headings": [STAGE_LABELS[stage] for stage in TABLE_STAGES],
        "people": people,
        "people_title": f"{STAGE_LABELS[show]}: {chosen_row.title}" if chosen_row else "",
        "people_csv": link(show=show, row=row_key, format="csv") if people is not None else "",
        "csv_link": link(format="csv"),
        "funnel_svg": funnel_chart(counts=report.total.counts, title=f"Funnel, {start:%b %-d %Y} to {end:%b %-d %Y}"),
        "months_svg": months_chart(months=report.months, by_month=report.by_month, title="The funnel by month"),
    }
    return TemplateResponse(request, "lessons/funnel.html", context)
