"""Forms for tracker part 2 (1:1s, action items, plans, celebrations, consistency settings)."""

from django import forms

from .review_models import ActionItem, Celebration, ConsistencySettings, ImprovementPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(label="Date and time", widget=DATETIME, input_formats=DATETIME_FORMATS)


class HoldForm(forms.Form):
    held_at = forms.DateTimeField(label="Held on", widget=DATETIME, input_formats=DATETIME_FORMATS)
    notes = forms.CharField(
        label="Notes (private)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only you and your co-leaders see these.",
    )
    discussed_gap = forms.BooleanField(
        label="We discussed the gap to standard and why it happened",
        required=False,
        help_text="Needed before an improvement plan can be opened: find out why first.",
    )


class ActionItemForm(forms.Form):
    """One new action item; a row left blank is ignored."""

    owner = forms.ChoiceField(choices=ActionItem.Owner.choices, initial=ActionItem.Owner.MEMBER, label="Who")
    text = forms.CharField(max_length=300, required=False, label="Action")
    due_on = forms.DateField(required=False, widget=DATE, label="Due")

    def clean(self):
        data = super().clean()
        if data.get("text") and not data.get("due_on"):
            self.add_error("due_on", "Give a due date.")
        if data.get("due_on") and not data.get("text"):
            self.add_error("text", "Say what will be done.")
        return data


ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=3, max_num=10)


class PlanForm(forms.Form):
    expectations = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What good looks like, by when.")
    support = forms.CharField(
        label="How I will help",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your own commitment; it becomes one of your action items.",
    )
    deadline = forms.DateField(widget=DATE)
    check_in_1 = forms.DateField(required=False, widget=DATE, label="Check-in date")
    check_in_2 = forms.DateField(required=False, widget=DATE, label="Check-in date")
    check_in_3 = forms.DateField(required=False, widget=DATE, label="Check-in date")

    def check_in_dates(self):
        return [self.cleaned_data[k] for k in ("check_in_1", "check_in_2", "check_in_3") if self.cleaned_data.get(k)]


class CheckInForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[c for c in ImprovementPlan.Outcome.choices if c[0]])
    outcome_on = forms.DateField(label="Date", required=False, widget=DATE)
    new_deadline = forms.DateField(required=False, widget=DATE, help_text="Only for an extension.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CelebrationForm(forms.Form):
    member = forms.TypedChoiceField(coerce=int, label="Who")
    title = forms.CharField(max_length=200, label="What we celebrate")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Personal note")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]


class CelebrationNoteForm(forms.ModelForm):
    class Meta:
        model = Celebration
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ConsistencySettingsForm(forms.ModelForm):
    class Meta:
        model = ConsistencySettings
        fields = ["threshold_percent", "publish_within_days", "review_within_days", "act_within_days"]
