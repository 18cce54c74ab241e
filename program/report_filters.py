"""Filters shared by the coach's admin reports (certificates issued, shared reflections)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone


class MomentField(forms.CharField):
    """A date (2026-11-20: midnight in the coach's time zone) or an exact time (the dashboard
    panel's links send the moments their window starts and ends)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("Enter a date like 2026-11-20.") from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class ProgramFilterForm(forms.Form):
    """A report's filters: a program (all by default). Invalid values are reported and ignored,
    never a 500."""

    program = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Program")

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "All programs")] + [(p.pk, p.title) for p in programs]
