"""Fixed-query reads shared by the part-2 pages: targets and results of many members and months
in ONE query (a UNION of the two tables), and each team's consistency settings."""

import datetime

from django.db.models import IntegerField, Value

from .models import Result, Target
from .review_models import ConsistencySettings

TARGET, RESULT = 0, 1


def values_for(*, teams, months: list[datetime.date] | None = None, until: datetime.date | None = None, member=None):
    """({(member_id, metric_id, month): target}, {(...): result}) for the teams' unarchived
    metrics, limited to `months` when given (else all history, up to `until`). One query."""
    filters = {"member__team__in": teams, "metric__archived": False}
    if months is not None:
        filters["month__in"] = months
    if until is not None:
        filters["month__lte"] = until
    if member is not None:
        filters["member"] = member
    fields = ("kind", "member_id", "metric_id", "month", "value")
    targets_qs = Target.objects.filter(**filters).annotate(kind=Value(TARGET, IntegerField())).values_list(*fields)
    results_qs = Result.objects.filter(**filters).annotate(kind=Value(RESULT, IntegerField())).values_list(*fields)
    targets: dict = {}
    results: dict = {}
    for kind, member_id, metric_id, month, value in targets_qs.union(results_qs, all=True):
        (targets if kind == TARGET else results)[(member_id, metric_id, month)] = value
    return targets, results


def settings_for(teams) -> dict[int, ConsistencySettings]:
    """Each team's settings, an unsaved default row for teams that never changed them. One query,
    none when the teams were fetched with select_related("consistency_settings")."""
    relation = ConsistencySettings._meta.get_field("team").remote_field  # Team -> its settings row
    if teams and all(relation.is_cached(team) for team in teams):
        found = {t.pk: relation.get_cached_value(t) for t in teams if relation.get_cached_value(t) is not None}
    else:
        found = {s.team_id: s for s in ConsistencySettings.objects.filter(team__in=teams)}
        for team in teams:  # remember on the team, so a second call in the same request is free
            relation.set_cached_value(team, found.get(team.pk))
    return {team.pk: found.get(team.pk) or ConsistencySettings(team=team) for team in teams}
