from django import template

from ..selectors import meeting_celebrations

register = template.Library()


@register.inclusion_tag("tracker/celebrations/meeting_celebrations.html")
def celebrations_for_meeting(team, month):
    """The month's recorded celebrations in the meeting view (one query)."""
    return {"celebrations": meeting_celebrations(team=team, month=month), "team": team, "month": month}
