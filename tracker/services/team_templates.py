"""Team templates: the metrics a new team starts with, for the two kinds of sales team the coach
trains (a homebuilder's and a real-estate brokerage's), the method's four defaults, or none."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Metric, Team
from .teams import DEFAULT_METRICS, metric_create, team_create

U = Metric.Unit
# name -> (label, [(metric, unit, weight, higher_is_better)])
TEAM_TEMPLATES = {
    "method": ("The method's four (sales, closings, rating, paperwork)", [(*m, True) for m in DEFAULT_METRICS]),
    "homebuilder": (
        "Homebuilder: sales volume, contracts, closings, customer rating, paperwork on time",
        [
            ("Sales volume", U.MONEY, Decimal("3"), True),
            ("Contracts", U.COUNT, Decimal("2"), True),
            ("Closings", U.COUNT, Decimal("2"), True),
            ("Customer rating", U.AVERAGE_1_5, Decimal("1"), True),
            ("Paperwork on time", U.PERCENTAGE, Decimal("1"), True),
        ],
    ),
    "brokerage": (
        "Real-estate brokerage: listings taken, closed volume, closed units, client satisfaction, days on market",
        [
            ("Listings taken", U.COUNT, Decimal("2"), True),
            ("Closed volume", U.MONEY, Decimal("3"), True),
            ("Closed units", U.COUNT, Decimal("2"), True),
            ("Client satisfaction", U.AVERAGE_1_5, Decimal("1"), True),
            ("Days on market", U.COUNT, Decimal("1"), False),
        ],
    ),
    "blank": ("Blank: I will add my own metrics", []),
}


def team_template_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _) in TEAM_TEMPLATES.items()]


@transaction.atomic
def team_create_from_template(*, leader: User, name: str, show_full_rankings: bool = True, template: str) -> Team:
    """A new team with the template's metrics (days on market: lower is better)."""
    if template not in TEAM_TEMPLATES:
        raise ValidationError({"template": "Choose one of the team templates."})
    team = team_create(leader=leader, name=name, show_full_rankings=show_full_rankings, default_metrics=False)
    for order, (metric_name, unit, weight, higher) in enumerate(TEAM_TEMPLATES[template][1]):
        metric_create(team=team, name=metric_name, unit=unit, weight=weight, higher_is_better=higher, order=order)
    return team
