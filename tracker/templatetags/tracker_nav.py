"""`{% team_nav_links team as links %}`: the team's nav, (label, URL) pairs, on every tracker page.

Thirteen `{% url %}` tags cost a resolver walk each on every request; the URLs differ only by the
team's id, so each is reversed once per process (and script prefix) with a placeholder id and then
filled in.
"""

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

NAV = (
    ("tracker:team", "Dashboard"),
    ("tracker:targets_current", "Targets"),
    ("tracker:results_current", "Results"),
    ("tracker:import", "Import CSV"),
    ("tracker:rankings_current", "Rankings"),
    ("tracker:share_current", "Share"),
    ("tracker:reviews_current", "1:1s"),
    ("tracker:celebrations_current", "Celebrations"),
    ("tracker:consistency", "Consistency"),
    ("tracker:members", "Members"),
    ("tracker:metrics", "Metrics"),
    ("tracker:team_settings", "Settings"),
    ("tracker:rhythm_settings", "Reminders"),
)
_PLACEHOLDER = "987654321987"
_SPLIT: dict[str, list[tuple[str, str, str]]] = {}


def _split(name: str, label: str) -> tuple[str, str, str]:
    before, after = reverse(name, args=[int(_PLACEHOLDER)]).split(_PLACEHOLDER)  # exactly once
    return label, before, after


def team_nav(team_id: int) -> list[tuple[str, str]]:
    """(label, URL) of each nav entry for the team: the same URLs `{% url name team.pk %}` gives."""
    prefix = get_script_prefix()
    split = _SPLIT.get(prefix)
    if split is None:
        split = _SPLIT[prefix] = [_split(name, label) for name, label in NAV]
    team_id = int(team_id)
    return [(label, f"{before}{team_id}{after}") for label, before, after in split]


@register.simple_tag
def team_nav_links(team) -> list[tuple[str, str]]:
    return team_nav(team.pk)
