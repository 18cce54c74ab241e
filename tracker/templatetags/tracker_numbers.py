"""`{% metric_value value unit %}`: a metric's value as the team in the context writes it (its
number format and currency). The one formatter is tracker.rules.numbers.format_value."""

from decimal import Decimal, InvalidOperation

from django import template

from ..rules.numbers import POINT, format_number, format_value

register = template.Library()


@register.simple_tag(takes_context=True)
def metric_value(context, value, unit, team=None):
    team = team or context.get("team")
    if isinstance(value, str):  # snapshots kept as JSON hold their numbers as text
        try:
            value = Decimal(value) if value else None
        except InvalidOperation:
            return value
    return format_value(
        value,
        unit,
        number_format=getattr(team, "number_format", POINT),
        currency=getattr(team, "currency", "USD"),
    )


@register.simple_tag(takes_context=True)
def team_number(context, value, team=None):
    """A plain number (a metric's weight, a count) in the team's number format, its own decimals."""
    team = team or context.get("team")
    if value is None or value == "":
        return "–"
    return format_number(Decimal(value), number_format=getattr(team, "number_format", POINT), places=None)
