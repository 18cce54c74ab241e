from django import template

from program.payments.services import program_purchasable

register = template.Library()


@register.simple_tag
def can_buy_online(program) -> bool:
    """True when the Enrol button can start a Stripe checkout for `program`."""
    return program_purchasable(program)
