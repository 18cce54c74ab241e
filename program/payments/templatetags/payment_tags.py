from django import template

from program.payments.pricing import seat_tiers, tier_table
from program.payments.services import program_purchasable

register = template.Library()


@register.simple_tag
def can_buy_online(program) -> bool:
    """True when the Enrol button can start a Stripe checkout for `program`."""
    return program_purchasable(program)


@register.inclusion_tag("payments/includes/tier_table.html")
def seat_price_tiers(program) -> dict:
    """The table of prices per seat by seat count (nothing when the coach set no tiers)."""
    return {"tiers": tier_table(program=program, tiers=seat_tiers(program=program))}
