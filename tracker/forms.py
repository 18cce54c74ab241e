"""Forms for the team, its grids and imports, the 1:1s, action items, plans, celebrations and the
consistency settings."""

from decimal import Decimal
from typing import NamedTuple

from django import forms

from .models import ActionItem, Celebration, ConsistencySettings, ImprovementPlan, Member, Metric, Team
from .rules import parse_decimal
from .rules.numbers import POINT, number_problem


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "show_full_rankings"]
        labels = {"show_full_rankings": "Show full rankings in the meeting view"}


class TeamSettingsForm(TeamForm):
    """The team's settings, with how it writes numbers and money; a setting missing from the
    POST is left as it is."""

    class Meta(TeamForm.Meta):
        fields = [
            "name",
            "show_full_rankings",
            "number_format",
            "currency",
            "paper_size",
            "year_starts_in",
            "consistency_start",
        ]
        labels = {**TeamForm.Meta.labels, "paper_size": "Paper size", "consistency_start": "Consistency score from"}
        widgets = {"consistency_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number_format", "currency", "paper_size", "year_starts_in"):
            self.fields[name].required = False


class CoLeaderForm(forms.Form):
    email = forms.EmailField(
        label="Co-leader's email",
        help_text="We email them a link. They accept it logged in with this address (signing up first if needed).",
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "role", "start_date", "active", "one_on_one_weekday", "one_on_one_time"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "one_on_one_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"email": "Optional: needed to email them their targets."}


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["name", "unit", "higher_is_better", "weight", "archived"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Results CSV",
        help_text="One row per member and month. Columns: member (name or email), month (e.g. 2026-03), "
        "then one column per metric, named as on your team.",
    )


class GridCell(NamedTuple):
    name: str  # the input's name; its id is "id_" + name
    label: str
    value: str
    errors: list | tuple  # messages for this cell
    original: str  # the stored value the form was built from ("" for an empty cell)
    conflict: object = None  # a services.Conflict when someone else changed this cell meanwhile


def cell_name(member_id: int, metric_id: int) -> str:
    return f"c_{member_id}_{metric_id}"


def original_name(member_id: int, metric_id: int) -> str:
    return f"o_{member_id}_{metric_id}"


class GridForm(forms.Form):
    """One input per member and metric, for a whole month, plus an "apply to all" box per metric.

    Numbers are read as people type them ("$12,500", "95%"); an emptied cell clears it, a cell
    missing from the POST is left alone. Each cell carries the stored value it was built from (a
    hidden `o_` input), so a save over a newer value is caught instead of overwriting it.
    """

    def __init__(
        self,
        *args,
        members: list[Member],
        metrics: list[Metric],
        originals: dict | None = None,
        number_format: str = POINT,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.members, self.metrics = members, metrics
        self.number_format = number_format  # the team's: how the cells are read (originals are plain)
        self.originals = originals or {}  # name -> text, for an unbound form
        self.conflicts: dict[str, object] = {}  # cell name -> Conflict, after a save that met newer values
        # One field object shared by every cell: cleaning a CharField keeps no state, the template
        # writes the inputs and their labels itself (cell_rows), and 1,200 separate fields and
        # widgets per request (200 members x 6 metrics) cost more in allocation and GC than the rest
        # of the page.
        cell = forms.CharField(required=False)
        for member in members:
            for metric in metrics:
                self.fields[cell_name(member.pk, metric.pk)] = cell
                self.fields[original_name(member.pk, metric.pk)] = cell
        for metric in metrics:
            self.fields[f"apply_{metric.pk}"] = forms.CharField(
                required=False,
                label=f"Value for every member, {metric.name}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "autocomplete": "off"}),
            )

    def clean(self):
        cleaned = super().clean()
        for name, raw in list(cleaned.items()):
            if not name.startswith(("c_", "o_")):
                continue
            raw = (raw or "").strip()
            if name.startswith("o_"):
                value = parse_decimal(raw) if raw else None
                if raw and value is None:
                    raise forms.ValidationError("This page was changed in the browser: reload it and try again.")
                cleaned[name] = value
                continue
            value, problem = number_problem(raw, self.number_format)
            if problem:
                self.add_error(name, problem)
            elif value is not None and value < 0:
                self.add_error(name, "Must not be negative.")
            cleaned[name] = value
        return cleaned

    def _present(self, prefix: str) -> dict[tuple[int, int], Decimal | None]:
        """Cleaned values of the cells whose input was in the POST (a missing input is not a value)."""
        return {
            (member.pk, metric.pk): self.cleaned_data.get(name)
            for member in self.members
            for metric in self.metrics
            if (name := f"{prefix}_{member.pk}_{metric.pk}") in self.data
        }

    def cell_values(self) -> dict[tuple[int, int], Decimal | None]:
        """The cells this POST sent: a value, or None for a cell it explicitly emptied."""
        return self._present("c")

    def original_values(self) -> dict[tuple[int, int], Decimal | None]:
        """The stored values the form was built from, for the cells that carried one."""
        return self._present("o")

    def cell_rows(self) -> list[tuple[Member, list["GridCell"]]]:
        """[(member, [GridCell, ...]), ...] in table order, for the grid template. The template
        writes each <input> itself: a 200-member team has 1,200 cells, and rendering each through
        its widget template took most of the page's time. Same markup as the TextInput widget."""
        bound = self.is_bound
        source = self.data if bound else self.initial
        originals = self.data if bound else self.originals
        errors = self.errors if bound else {}
        rows = []
        for member in self.members:
            cells = []
            for metric in self.metrics:
                name = cell_name(member.pk, metric.pk)
                value = source.get(name)
                original = originals.get(original_name(member.pk, metric.pk))
                cells.append(
                    GridCell(
                        name,
                        f"{member.name}, {metric.name}",
                        "" if value is None else value,
                        errors.get(name, ()),
                        "" if original is None else original,
                        self.conflicts.get(name),
                    )
                )
            rows.append((member, cells))
        return rows


def format_value(value: Decimal | None) -> str:
    """A stored value as plain text (1350000.5), for the hidden inputs that carry the originals."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0").rstrip(".")


# --- 1:1s, plans, celebrations, consistency settings ---

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
    # The version of the 1:1 the page was opened at: a save over newer notes shows the conflict.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


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


def _team_template_choices():
    from .services.team_templates import team_template_choices  # the templates live with the team services

    return team_template_choices()


class NewTeamForm(TeamForm):
    """A new team starts from a template of metrics (tracker.services.team_templates)."""

    template = forms.ChoiceField(
        label="Start with these metrics",
        choices=_team_template_choices,
        initial="method",
        required=False,
        widget=forms.RadioSelect,
        help_text="You can rename, reweigh, add or archive metrics later.",
    )

    def clean_template(self):
        return self.cleaned_data.get("template") or "method"  # an older form without the choice
