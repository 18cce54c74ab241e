"""The coach's forms on the learner page and the stuck list: a nudge, in her own words."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from ..nudges import BODY_MAX, SUBJECT_MAX


class NudgeForm(forms.Form):
    subject = forms.CharField(max_length=SUBJECT_MAX, label="Subject")
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Sent as you write it, with a greeting by first name. Replies come to your email address.",
    )


class BulkNudgeForm(NudgeForm):
    learners = forms.TypedMultipleChoiceField(
        coerce=int, label="Leaders", error_messages={"required": "Tick at least one leader to nudge."}
    )

    def __init__(self, *args, learner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = list(learner_choices)


EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


class ReportFilterForm(forms.Form):
    """The learner report's filters (GET). Invalid values are reported and ignored, never a 500."""

    enrolled_from = forms.DateField(
        required=False, label="Enrolled from", widget=forms.DateInput(attrs={"type": "date"})
    )
    enrolled_to = forms.DateField(required=False, label="Enrolled to", widget=forms.DateInput(attrs={"type": "date"}))
    stuck_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        label="Stuck after (days)",
        widget=forms.NumberInput(attrs={"placeholder": "14"}),
    )
    stuck = forms.BooleanField(required=False, label="Only stuck leaders")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("enrolled_from"), cleaned.get("enrolled_to")
        for name, value in (("enrolled_from", start), ("enrolled_to", end)):
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, f"Choose a date between {EARLIEST.year} and {LATEST.year}.")
                cleaned.pop(name, None)
        if start and end and end < start:
            raise forms.ValidationError("“Enrolled to” is before “Enrolled from”.")
        return cleaned

    def range(self):
        """(from, before): aware datetimes in the coach's zone, the end day included."""
        zone = timezone.get_current_timezone()
        data = self.cleaned_data if self.is_valid() else {}
        start, end = data.get("enrolled_from"), data.get("enrolled_to")
        start_at = datetime.combine(start, time.min, tzinfo=zone) if start else None
        end_at = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone) if end else None
        return start_at, end_at
