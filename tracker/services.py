"""Writes for the tracker. Every service validates before saving and changes all or nothing."""

import datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .attainment import month_start, value_problem
from .models import (
    MeetingPresentation,
    Member,
    Metric,
    Result,
    ResultImport,
    Target,
    TargetAcknowledgement,
    TargetCommunication,
    Team,
    TeamCoLeader,
)

ACK_SALT = "tracker.target-acknowledgement"
ACK_MAX_AGE = 60 * 60 * 24 * 120  # links keep working for about four months

# The method's defaults: sales, closings, customer rating, paperwork on time.
DEFAULT_METRICS = (
    ("Sales", Metric.Unit.MONEY, Decimal("3")),
    ("Closings", Metric.Unit.COUNT, Decimal("2")),
    ("Customer rating", Metric.Unit.AVERAGE_1_5, Decimal("1")),
    ("Paperwork on time", Metric.Unit.PERCENTAGE, Decimal("1")),
)


# --- teams and people -----------------------------------------------------------------------


@transaction.atomic
def team_create(*, leader: User, name: str, show_full_rankings: bool = True, default_metrics: bool = True) -> Team:
    """A new team led by `leader`, with the method's four default metrics unless asked not to."""
    team = Team(leader=leader, name=name.strip(), show_full_rankings=show_full_rankings)
    team.full_clean()
    team.save()
    if default_metrics:
        for order, (metric_name, unit, weight) in enumerate(DEFAULT_METRICS):
            metric_create(team=team, name=metric_name, unit=unit, weight=weight, order=order)
    return team


def team_update(*, team: Team, name: str, show_full_rankings: bool) -> Team:
    team.name = name.strip()
    team.show_full_rankings = show_full_rankings
    team.full_clean()
    team.save()
    return team


def coleader_add(*, team: Team, email: str) -> TeamCoLeader:
    """Invite an existing Huddle user to co-lead the team. ValidationError when unknown."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError({"email": "No Huddle account uses that email. Ask them to sign up first."})
    if user.pk == team.leader_id:
        raise ValidationError({"email": "That is the team's leader."})
    coleader, _ = TeamCoLeader.objects.get_or_create(team=team, user=user)
    return coleader


def coleader_remove(*, team: Team, user_id: int) -> None:
    TeamCoLeader.objects.filter(team=team, user_id=user_id).delete()


def member_create(
    *, team: Team, name: str, email: str = "", role: str = "", start_date: datetime.date | None = None
) -> Member:
    member = Member(team=team, name=name.strip(), email=email.strip(), role=role.strip())
    if start_date:
        member.start_date = start_date
    member.full_clean()
    member.save()
    return member


def member_update(
    *, member: Member, name: str, email: str, role: str, start_date: datetime.date, active: bool
) -> Member:
    """Edit a member. Deactivating keeps all their history; they just leave the grids."""
    member.name, member.email, member.role = name.strip(), email.strip(), role.strip()
    member.start_date, member.active = start_date, active
    member.full_clean()
    member.save()
    return member


def member_set_active(*, member: Member, active: bool) -> Member:
    member.active = active
    member.save(update_fields=["active"])
    return member


def metric_create(
    *,
    team: Team,
    name: str,
    unit: str = Metric.Unit.COUNT,
    higher_is_better: bool = True,
    weight: Decimal = Decimal("1"),
    order: int | None = None,
) -> Metric:
    if order is None:
        last = team.metrics.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    metric = Metric(
        team=team, name=name.strip(), unit=unit, higher_is_better=higher_is_better, weight=weight, order=order
    )
    metric.full_clean()
    metric.save()
    return metric


def metric_update(
    *, metric: Metric, name: str, unit: str, higher_is_better: bool, weight: Decimal, archived: bool
) -> Metric:
    metric.name, metric.unit, metric.higher_is_better = name.strip(), unit, higher_is_better
    metric.weight, metric.archived = weight, archived
    metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_move(*, metric: Metric, direction: str) -> None:
    """Move a metric one place up or down; orders are renumbered 0..n-1."""
    metrics = list(Metric.objects.select_for_update().filter(team_id=metric.team_id).order_by("order", "pk"))
    index = next(i for i, m in enumerate(metrics) if m.pk == metric.pk)
    swap = index - 1 if direction == "up" else index + 1
    if 0 <= swap < len(metrics):
        metrics[index], metrics[swap] = metrics[swap], metrics[index]
    for order, m in enumerate(metrics):
        m.order = order
    Metric.objects.bulk_update(metrics, ["order"])
    from .consistency import bump_data_version

    bump_data_version()


# --- targets and results --------------------------------------------------------------------


def _check_cells(*, team: Team, month: datetime.date, values: dict, members: dict, metrics: dict) -> dict:
    errors: dict[str, list[str]] = {}
    for (member_id, metric_id), value in values.items():
        member, metric = members.get(member_id), metrics.get(metric_id)
        if member is None or metric is None:
            errors.setdefault("__all__", []).append("A value names a member or metric that is not on this team.")
            continue
        if value is None:
            continue
        problem = value_problem(unit=metric.unit, value=value)
        if problem:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(f"{member.name}, {metric.name}: {problem}.")
        if not member.active:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(f"{member.name} is inactive.")
        elif member.start_month > month:
            errors.setdefault(f"{member_id}_{metric_id}", []).append(
                f"{member.name} started in {member.start_date:%B %Y}, after {month:%B %Y}."
            )
    return errors


@transaction.atomic
def month_values_save(
    *, team: Team, month: datetime.date, kind: str, values: dict[tuple[int, int], Decimal | None]
) -> dict[str, int]:
    """Save a whole grid of targets (kind='targets') or results (kind='results') for one month.

    `values` maps (member_id, metric_id) to a value, or None to clear the cell. Every cell is
    checked first (non-negative, 1-5 averages, percentages to 100, active member who had started
    by that month); any problem raises ValidationError and nothing is saved. Fixed queries.
    """
    model = Target if kind == "targets" else Result
    month = month_start(month)
    members = {m.pk: m for m in team.members.all()}
    metrics = {m.pk: m for m in team.metrics.all()}
    errors = _check_cells(team=team, month=month, values=values, members=members, metrics=metrics)
    if errors:
        raise ValidationError(errors)
    existing = {
        (row.member_id, row.metric_id): row
        for row in model.objects.select_for_update().filter(member__team=team, month=month)
    }
    created, changed, removed = [], [], []
    for key, value in values.items():
        row = existing.get(key)
        if value is None:
            if row is not None:
                removed.append(row.pk)
        elif row is None:
            created.append(model(member_id=key[0], metric_id=key[1], month=month, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    for row in created:
        row.full_clean(exclude=["member", "metric"], validate_unique=False, validate_constraints=False)
    model.objects.bulk_create(created)
    model.objects.bulk_update(changed, ["value"])
    model.objects.filter(pk__in=removed).delete()
    from .consistency import bump_data_version

    bump_data_version()  # bulk writes send no signals: cached summaries must not outlive them
    return {"created": len(created), "changed": len(changed), "removed": len(removed)}


# --- communicating targets ------------------------------------------------------------------


def ack_token(ack: TargetAcknowledgement) -> str:
    return signing.dumps({"ack": ack.pk}, salt=ACK_SALT)


def ack_from_token(token: str) -> TargetAcknowledgement | None:
    """The acknowledgement a signed link points at; None for a forged, mangled or expired link."""
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("ack"), int):
        return None
    return (
        TargetAcknowledgement.objects.select_related("member", "communication__team__leader")
        .filter(pk=data["ack"])
        .first()
    )


@transaction.atomic
def targets_communicate(*, team: Team, month: datetime.date, sent_by: User) -> TargetCommunication:
    """Email each active member with an email address their own targets for `month` and a one-page
    PDF target sheet (after commit, as tasks). Records the first and latest send; a resend emails
    again but keeps existing acknowledgements. ValidationError when nobody has targets."""
    from .tasks import send_target_sheet

    month = month_start(month)
    member_ids = set(
        Target.objects.filter(member__team=team, member__active=True, month=month)
        .exclude(member__email="")
        .values_list("member_id", flat=True)
    )
    if not member_ids:
        raise ValidationError("No active member with an email address has targets for that month yet.")
    now = timezone.now()
    communication, created = TargetCommunication.objects.get_or_create(
        team=team, month=month, defaults={"sent_at": now, "last_sent_at": now, "sent_by": sent_by}
    )
    if not created:
        communication.last_sent_at = now
        communication.save(update_fields=["last_sent_at"])
    for member_id in sorted(member_ids):
        ack, _ = TargetAcknowledgement.objects.get_or_create(communication=communication, member_id=member_id)
        transaction.on_commit(lambda pk=ack.pk: send_target_sheet.enqueue(pk))
    return communication


def target_acknowledge(*, ack: TargetAcknowledgement) -> TargetAcknowledgement:
    """Record the member's acknowledgement; the first click counts, repeats change nothing."""
    if ack.acknowledged_at is None:
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
    return ack


def meeting_mark_presented(*, team: Team, month: datetime.date, user: User) -> MeetingPresentation:
    """Record that the month's results were published in the group meeting (once per month)."""
    presentation, _ = MeetingPresentation.objects.get_or_create(
        team=team, month=month_start(month), defaults={"presented_by": user}
    )
    return presentation


# --- CSV import -----------------------------------------------------------------------------


def results_import_preview(*, team: Team, uploaded_by: User, filename: str, data: bytes) -> "ResultImport":
    """Check an uploaded CSV and keep it as a preview. Writes no Result; `problems` lists every
    issue by row and column. Nothing can be applied while problems remain."""
    from .imports import parse_results_csv

    parsed = parse_results_csv(
        data=data, members=list(team.members.all()), metrics=list(team.metrics.all()), today=timezone.localdate()
    )
    preview = ResultImport(
        team=team, uploaded_by=uploaded_by, filename=filename[:255], rows=parsed.rows, problems=parsed.problems
    )
    preview.full_clean()
    preview.save()
    return preview


@transaction.atomic
def results_import_apply(*, result_import: "ResultImport") -> "ResultImport":
    """Write every value of a problem-free preview, all or nothing, remembering what each value
    replaced so the import can be undone. ValidationError for an import with problems, an empty
    one, or one already applied."""
    result_import = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.PREVIEW:
        raise ValidationError("This import has already been applied or undone.")
    if result_import.problems:
        raise ValidationError("Fix the problems in the file and upload it again: nothing was imported.")
    if not result_import.rows:
        raise ValidationError("The file holds no values to import.")
    team = result_import.team
    members = {m.pk: m for m in team.members.all()}
    metric_ids = set(team.metrics.values_list("pk", flat=True))
    months = {r["month"] for r in result_import.rows}
    existing = {
        (r.member_id, r.metric_id, r.month.isoformat()): r
        for r in Result.objects.select_for_update().filter(member__team=team, month__in=months)
    }
    created, changed = [], []
    for row in result_import.rows:
        member = members.get(row["member"])
        month = datetime.date.fromisoformat(row["month"])
        if member is None or row["metric"] not in metric_ids or not member.active or month < member.start_month:
            raise ValidationError("The team changed since this preview: upload the file again.")
        value = Decimal(row["value"])
        current = existing.get((row["member"], row["metric"], row["month"]))
        row["previous"] = None if current is None else str(current.value)
        if current is None:
            created.append(
                Result(
                    member_id=row["member"],
                    metric_id=row["metric"],
                    month=month,
                    value=value,
                    source_import=result_import,
                )
            )
        else:
            current.value, current.source_import = value, result_import
            changed.append(current)
    Result.objects.bulk_create(created)
    Result.objects.bulk_update(changed, ["value", "source_import"])
    result_import.status = ResultImport.Status.APPLIED
    result_import.applied_at = timezone.now()
    result_import.save(update_fields=["rows", "status", "applied_at"])
    return result_import


@transaction.atomic
def results_import_undo(*, result_import: "ResultImport") -> "ResultImport":
    """Put every value the import wrote back as it was (removing values it added), all at once."""
    result_import = ResultImport.objects.select_for_update().get(pk=result_import.pk)
    if result_import.status != ResultImport.Status.APPLIED:
        raise ValidationError("Only an applied import can be undone.")
    team = result_import.team
    months = {r["month"] for r in result_import.rows}
    existing = {
        (r.member_id, r.metric_id, r.month.isoformat()): r
        for r in Result.objects.select_for_update().filter(member__team=team, month__in=months)
    }
    restored, removed = [], []
    for row in result_import.rows:
        current = existing.get((row["member"], row["metric"], row["month"]))
        if current is None:
            continue
        if row.get("previous") is None:
            removed.append(current.pk)
        else:
            current.value, current.source_import = Decimal(row["previous"]), None
            restored.append(current)
    Result.objects.bulk_update(restored, ["value", "source_import"])
    Result.objects.filter(pk__in=removed).delete()
    result_import.status = ResultImport.Status.UNDONE
    result_import.undone_at = timezone.now()
    result_import.save(update_fields=["status", "undone_at"])
    return result_import
