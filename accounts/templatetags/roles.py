from django import template

from accounts.roles import is_coach as _is_coach

register = template.Library()


@register.filter
def is_coach(user) -> bool:
    """`{% if user|is_coach %}`: the same answer as `accounts.roles.is_coach`."""
    return _is_coach(user)
