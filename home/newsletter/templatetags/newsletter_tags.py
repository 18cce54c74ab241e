from django import template

from home.newsletter.wording import CONFIRM_WORDING, SIGNUP_WORDING

register = template.Library()


@register.simple_tag
def newsletter_wording(key: str) -> str:
    """The consent text of a sign-up form ("page", "short") or of the confirmation ("confirm")."""
    return CONFIRM_WORDING if key == "confirm" else SIGNUP_WORDING[key]
