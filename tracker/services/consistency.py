"""The leader's own deadlines and sub-par threshold."""

from ..models import ConsistencySettings, Team
from ..selectors.consistency import settings_for


def consistency_settings_update(
    *, team: Team, threshold_percent: int, publish_within_days: int, review_within_days: int, act_within_days: int
) -> ConsistencySettings:
    """Create or change the team's threshold and deadlines (validated against their ranges)."""
    row = settings_for([team])[team.pk]
    row.threshold_percent = threshold_percent
    row.publish_within_days = publish_within_days
    row.review_within_days = review_within_days
    row.act_within_days = act_within_days
    row.full_clean()
    row.save()
    return row
