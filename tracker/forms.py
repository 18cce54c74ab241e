from decimal import Decimal
from typing import NamedTuple

from django import forms

from .attainment import parse_decimal
from .models import Member, Metric, Team


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "show_full_rankings"]
        labels = {"show_full_rankings": "Show full rankings in the meeting view"}


class CoLeaderForm(forms.Form):
    email = forms.EmailField(label="Co-leader's email", help_text="They need a Huddle account.")


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "role", "start_date", "active"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
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


def cell_name(member_id: int, metric_id: int) -> str:
    return f"c_{member_id}_{metric_id}"


class GridForm(forms.Form):
    """One input per member and metric, for a whole month, plus an "apply to all" box per metric.

    Numbers are read as people type them ("$12,500", "95%"); empty clears the cell.
    """

    def __init__(self, *args, members: list[Member], metrics: list[Metric], **kwargs):
        super().__init__(*args, **kwargs)
        self.members, self.metrics = members, metrics
        # One field object shared by every cell: cleaning a CharField keeps no state, the template
        # writes the inputs and their labels itself (cell_rows), and 1,200 separate fields and
        # widgets per request (200 members x 6 metrics) cost more in allocation and GC than the rest
        # of the page.
        cell = forms.CharField(required=False)
        for member in members:
            for metric in metrics:
                self.fields[cell_name(member.pk, metric.pk)] = cell
        for metric in metrics:
            self.fields[f"apply_{metric.pk}"] = forms.CharField(
                required=False,
                label=f"Value for every member, {metric.name}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "autocomplete": "off"}),
            )

    def clean(self):
        cleaned = super().clean()
        for name, raw in list(cleaned.items()):
            if not name.startswith("c_"):
                continue
            raw = (raw or "").strip()
            value = parse_decimal(raw) if raw else None
            if raw and value is None:
                self.add_error(name, f"'{raw}' is not a number.")
            elif value is not None and value < 0:
                self.add_error(name, "Must not be negative.")
            cleaned[name] = value
        return cleaned

    def cell_values(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (member.pk, metric.pk): self.cleaned_data.get(cell_name(member.pk, metric.pk))
            for member in self.members
            for metric in self.metrics
        }

    def cell_rows(self) -> list[tuple[Member, list["GridCell"]]]:
        """[(member, [GridCell, ...]), ...] in table order, for the grid template. The template
        writes each <input> itself: a 200-member team has 1,200 cells, and rendering each through
        its widget template took most of the page's time. Same markup as the TextInput widget."""
        bound = self.is_bound
        source = self.data if bound else self.initial
        errors = self.errors if bound else {}
        rows = []
        for member in self.members:
            cells = []
            for metric in self.metrics:
                name = cell_name(member.pk, metric.pk)
                value = source.get(name)
                cells.append(
                    GridCell(
                        name, f"{member.name}, {metric.name}", "" if value is None else value, errors.get(name, ())
                    )
                )
            rows.append((member, cells))
        return rows

    def apply_fields(self):
        return [self[f"apply_{k.pk}"] for k in self.metrics]


def format_value(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0").rstrip(".")
