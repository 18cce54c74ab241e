from django import template

from ..selectors import meeting_celebrations

register = template.Library()


@register.inclusion_tag("tracker/celebrations/meeting_celebrations.html")
def celebrations_for_meeting(team, month, known_none=False):
    """The month's recorded celebrations in the meeting view: one query, none when the page knows
    already that the month has none (`known_none`, from `meeting_records`; a missing variable asks)."""
    celebrations = [] if known_none else meeting_celebrations(team=team, month=month)
    return {"celebrations": celebrations, "team": team, "month": month}
