"""The console's filters (GET, never a 500 on odd values) and the nudge words (POST)."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Lower, NullIf

from accounts.models import User
from lessons.nudges import BODY_MAX, SUBJECT_MAX
from program.models import ProgramPage

from ..rules import add_months, month_start
from .console import SORTS

MONTHS_BACK = 12


def filter_choices() -> tuple[list, list]:
    """The programs, and the companies (buyers of seats, by company name), in one query."""
    text = CharField()
    programs = (
        ProgramPage.objects.order_by()
        .annotate(kind=Value("p", text), label=F("title"), key=F("path"))
        .values_list("kind", "pk", "label", "key")
    )
    buyers = (
        User.objects.filter(seat_purchases__isnull=False)
        .order_by()
        .annotate(
            kind=Value("c", text),
            label=Coalesce(NullIf("company", Value("")), NullIf("full_name", Value("")), "email", output_field=text),
            key=Lower(
                Coalesce(NullIf("company", Value("")), NullIf("full_name", Value("")), "email", output_field=text)
            ),
        )
        .values_list("kind", "pk", "label", "key")
    )
    rows = sorted(programs.union(buyers), key=lambda r: (r[0], r[3], r[1]))
    return [(pk, label) for kind, pk, label, _ in rows if kind == "p"], [
        (pk, label) for kind, pk, label, _ in rows if kind == "c"
    ]


class ConsoleFilterForm(forms.Form):
    month = forms.TypedChoiceField(
        label="Month", required=False, coerce=lambda v: datetime.date.fromisoformat(v + "-01")
    )
    program = forms.TypedChoiceField(label="Program", required=False, coerce=int, empty_value=None)
    company = forms.TypedChoiceField(label="Company", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))
    missed_first = forms.BooleanField(label="Only who missed the 1st", required=False)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        this = month_start(today)
        months = [add_months(this, -n) for n in range(MONTHS_BACK)]
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]
        programs, companies = filter_choices()
        self.fields["program"].choices = [("", "All programs")] + programs
        self.fields["company"].choices = [("", "All companies")] + companies
        self.default_month = this

    def choice(self) -> dict:
        """The chosen filters; a bad value falls back to its default (the errors show on the form)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "month": data.get("month") or self.default_month,
            "program_id": data.get("program"),
            "company_id": data.get("company"),
            "sort": data.get("sort") or "leader",
            "missed_first": bool(data.get("missed_first")),
        }


class StepNudgeForm(forms.Form):
    """The words of the nudge about one step, for the ticked leaders whose step slipped."""

    teams = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    subject = forms.CharField(max_length=SUBJECT_MAX, label="Subject")
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="Sent as you write it, with a greeting by first name and a link to the leader's own page for "
        "the step. Replies come to your email address.",
    )

    def __init__(self, *args, team_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].choices = [(pk, pk) for pk in team_ids]
