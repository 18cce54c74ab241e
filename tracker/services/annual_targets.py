"""Annual targets split by month, and the team's seasonality profiles."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User

from ..models import SeasonalityProfile, Team, ValueChange
from ..rules.periods import profile_problem
from ..selectors.annual_targets import AnnualPreview
from .values import month_values_save


class TargetsChangedSincePreview(Exception):
    """Someone changed one of the year's targets after the preview was shown: nothing was written."""


@transaction.atomic
def annual_targets_apply(*, preview: AnnualPreview, changed_by: User | None) -> int:
    """Write the preview's new monthly targets, month by month, through `month_values_save` (so
    every change lands in the history, marked "annual", and the usual checks run). The preview's
    `seen` values travel as the originals: if any target changed since the preview, or any member's
    plan has a problem, nothing is written (TargetsChangedSincePreview / ValidationError).
    Returns how many monthly targets were written."""
    if preview.problems:
        raise ValidationError(preview.problems)
    metric_id, written = preview.metric.pk, 0
    for index, month in enumerate(preview.months):
        values, originals = {}, {}
        for row in preview.rows:
            planned = row.months[index] if row.months else None
            if planned is None or not planned.writes:
                continue
            values[(row.member.pk, metric_id)] = planned.value
            originals[(row.member.pk, metric_id)] = preview.seen.get((row.member.pk, month))
        if not values:
            continue
        counts = month_values_save(
            team=preview.team,
            month=month,
            kind="targets",
            values=values,
            originals=originals,
            changed_by=changed_by,
            how=ValueChange.How.ANNUAL,
        )
        if counts["conflicts"] or counts["kept_newer"]:
            raise TargetsChangedSincePreview
        written += counts["created"] + counts["changed"]
    return written


def seasonality_profile_save(
    *, team: Team, name: str, percents: list[Decimal], profile: SeasonalityProfile | None = None
) -> SeasonalityProfile:
    """Create (or, given `profile`, change) a profile: a name and twelve percentages, January
    first, adding up to exactly 100. ValidationError says what is wrong; nothing is saved then."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the profile a name."})
    problem = profile_problem(percents)
    if problem:
        raise ValidationError({"percents": problem})
    profile = profile or SeasonalityProfile(team=team)
    if profile.team_id != team.pk:
        raise ValidationError("That profile belongs to another team.")
    profile.name, profile.percents = name[:80], [f"{p:f}" for p in percents]
    try:
        with transaction.atomic():
            profile.full_clean(exclude=["team"])
            profile.save()
    except IntegrityError:
        raise ValidationError({"name": f"This team already has a profile called '{name}'."}) from None
    except ValidationError as exc:
        if "__all__" in exc.message_dict:  # the unique constraint, checked by full_clean
            raise ValidationError({"name": f"This team already has a profile called '{name}'."}) from None
        raise
    return profile


def seasonality_profile_delete(*, team: Team, profile_id: int) -> bool:
    """Delete the team's profile; False when the team has none with that id."""
    deleted, _ = SeasonalityProfile.objects.filter(team=team, pk=profile_id).delete()
    return bool(deleted)


class SeasonalityProfileChanged(ValidationError):
    """The profile was changed (or deleted) since the edit form was opened: nothing was written.
    `saved` is the profile as it is now (None when deleted)."""

    def __init__(self, saved: SeasonalityProfile | None):
        self.saved = saved
        super().__init__(
            "Someone changed this profile since you opened it (another tab or a co-leader). "
            "Nothing was saved. Its saved version is shown beside yours; save again to keep yours."
            if saved
            else "This profile was deleted since you opened it; your changes were not saved."
        )


def seasonality_profile_version(profile: SeasonalityProfile) -> str:
    """A short fingerprint of what the profile says (name and percentages): the version an edit
    form was opened at, so a save over a newer version is refused (no version column needed)."""
    text = json.dumps([profile.name, [str(Decimal(p)) for p in profile.percents]])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@transaction.atomic
def seasonality_profile_edit(
    *, team: Team, profile_id: int, name: str, percents: list[Decimal], version: str
) -> SeasonalityProfile:
    """Rename the team's profile and change its twelve percentages if it still says what it said at
    `version` (seasonality_profile_version); else raise SeasonalityProfileChanged. Bad input
    raises ValidationError as seasonality_profile_save does; nothing is saved then."""
    profile = SeasonalityProfile.objects.select_for_update().filter(team=team, pk=profile_id).first()
    if profile is None or seasonality_profile_version(profile) != version:
        raise SeasonalityProfileChanged(profile)
    return seasonality_profile_save(team=team, name=name, percents=percents, profile=profile)
