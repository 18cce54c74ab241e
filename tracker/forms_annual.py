"""Forms for annual targets split by month and for the team's seasonality profiles. Numbers are
read in the team's number format (tracker.rules.numbers), with a clear message for anything else."""

import datetime
from decimal import Decimal

from django import forms

from .models import Member, Metric, SeasonalityProfile
from .rules import value_problem
from .rules.numbers import POINT, number_problem

MONTH_NAMES = [datetime.date(2000, n, 1).strftime("%B") for n in range(1, 13)]


def _number(text: str, number_format: str) -> Decimal | None:
    value, problem = number_problem(text, number_format)
    if problem:
        raise forms.ValidationError(problem)
    return value


class AnnualTargetsForm(forms.Form):
    """One metric, one year, how to split it, and an annual figure per active member (`a_<id>`)."""

    year = forms.ChoiceField(label="Year")
    metric = forms.ModelChoiceField(queryset=Metric.objects.none(), empty_label=None)
    split = forms.ChoiceField(label="Split", help_text="Evenly, or by one of your seasonality profiles.")
    replace = forms.BooleanField(
        label="Replace months already set",
        required=False,
        help_text="Unticked, months that already have a target keep it and the rest of the year's target is "
        "split over the other months.",
    )

    def __init__(self, *args, members: list[Member], metrics, profiles: list[SeasonalityProfile], years, **kwargs):
        self.number_format = kwargs.pop("number_format", POINT)
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["year"].choices = [(f"{y:%Y-%m}", _year_label(y)) for y in years]
        self.fields["year"].initial = f"{years[1]:%Y-%m}"
        self.fields["metric"].queryset = metrics
        self.fields["split"].choices = [("even", "Evenly")] + [(str(p.pk), p.name) for p in profiles]
        self.profiles = {str(p.pk): p for p in profiles}
        self.years = {f"{y:%Y-%m}": y for y in years}
        for member in members:
            self.fields[f"a_{member.pk}"] = forms.CharField(label=member.name, required=False, max_length=40)

    def member_fields(self):
        return [(member, self[f"a_{member.pk}"]) for member in self.members]

    def clean(self):
        data = super().clean()
        metric = data.get("metric")
        annuals = {}
        for member in self.members:
            name = f"a_{member.pk}"
            try:
                value = _number(self.data.get(name, ""), self.number_format)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
                continue
            if value is None:
                continue
            problem = value_problem(unit=metric.unit, value=value) if metric else None
            if problem:
                self.add_error(name, f"{member.name}: the annual target {problem}.")
            else:
                annuals[member.pk] = value
        if not annuals and not self.errors:
            raise forms.ValidationError("Type an annual target for at least one member.")
        data["annuals"] = annuals
        data["first_month"] = self.years.get(data.get("year"))
        data["profile"] = self.profiles.get(data.get("split"))
        return data


def _year_label(first: datetime.date) -> str:
    if first.month == 1:
        return str(first.year)
    return f"{first:%B %Y} to {datetime.date(first.year + 1, first.month - 1, 1):%B %Y}"


class SeasonalityProfileForm(forms.Form):
    """A name and twelve percentages (`p1`..`p12`, January first) that add up to 100."""

    name = forms.CharField(max_length=80, help_text="For example 'Spring peak'.")

    def __init__(self, *args, number_format: str = POINT, **kwargs):
        super().__init__(*args, **kwargs)
        self.number_format = number_format
        for n, label in enumerate(MONTH_NAMES, start=1):
            self.fields[f"p{n}"] = forms.CharField(label=f"{label} %", max_length=20, initial="")

    @staticmethod
    def month_labels() -> list[str]:
        return [name[:3] for name in MONTH_NAMES]

    def month_fields(self):
        return [self[f"p{n}"] for n in range(1, 13)]

    def clean(self):
        data = super().clean()
        percents = []
        for n in range(1, 13):
            name = f"p{n}"
            if name not in data:
                continue  # already refused: required
            try:
                value = _number(data[name], self.number_format)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
                continue
            if value is None or value < 0:
                self.add_error(name, f"{MONTH_NAMES[n - 1]}: give a percentage of 0 or more.")
            elif value > 100:
                self.add_error(name, f"{MONTH_NAMES[n - 1]}: a month cannot hold more than 100 %.")
            else:
                percents.append(value)
        data["percents"] = percents
        return data
