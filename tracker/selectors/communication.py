"""Step 1, establish and communicate targets: the reminder, who acknowledged, and the signed links
in the members' emails.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import Target, TargetAcknowledgement, TargetCommunication, Team
from ..rules import add_months, first_working_day, month_start
from .sharing import address_key

REMINDER_DAYS_BEFORE = 5


def targets_reminder(*, today: datetime.date, communicated_months: set[datetime.date]) -> str | None:
    """A nudge when the coming month's targets are not yet communicated: from REMINDER_DAYS_BEFORE
    days before the month starts, and for the current month until it has been done."""
    this_month = month_start(today)
    next_month = add_months(this_month, 1)
    if (next_month - today).days <= REMINDER_DAYS_BEFORE and next_month not in communicated_months:
        return f"{next_month:%B} starts in {(next_month - today).days} day(s): set and communicate the targets now."
    if this_month not in communicated_months:
        deadline = first_working_day(this_month)
        when = "were due" if today > deadline else "are due"
        return f"Targets for {this_month:%B} {when} on {deadline:%A %-d %B}: communicate them to the team."
    return None


def target_snapshots(*, team: Team, month: datetime.date) -> dict[int, list[dict]]:
    """{member_id: the member's target sheet for `month` as it stands now}, in the form kept on
    TargetAcknowledgement.sent_targets, so "changed since sent" is a comparison. One query."""
    sheets: dict[int, list[dict]] = {}
    for target in (
        Target.objects.filter(member__team=team, month=month, metric__archived=False)
        .select_related("metric")
        .order_by("member_id", "metric__order", "metric__pk")
    ):
        sheets.setdefault(target.member_id, []).append(
            {
                "metric_id": target.metric_id,
                "name": target.metric.name,
                "unit": target.metric.unit,
                "higher_is_better": target.metric.higher_is_better,
                "value": str(target.value),
            }
        )
    return sheets


def communication_status(*, team: Team, month: datetime.date):
    """The month's communication (or None) and every acknowledgement row with its member, each
    with `changed_since_sent` (its targets differ now from the sheet last sent). 3 queries."""
    communication = TargetCommunication.objects.filter(team=team, month=month).first()
    acks = []
    if communication:
        acks = list(communication.acknowledgements.select_related("member").order_by("member__name"))
        current = target_snapshots(team=team, month=month)
        for ack in acks:
            ack.changed_since_sent = bool(ack.sent_targets) and ack.sent_targets != current.get(ack.member_id, [])
    return communication, acks


def _sheet_rows(snapshot: list[dict]) -> list[dict]:
    """A snapshot in the shape the target sheet templates read (t.metric.name, t.value)."""
    return [{"metric": row, "value": row["value"]} for row in snapshot]


ACK_SALT = "tracker.target-acknowledgement"
ACK_MAX_AGE = 60 * 60 * 24 * 120  # links keep working for about four months


def ack_token(ack: TargetAcknowledgement) -> str:
    """Bound to the acknowledgement and the address it is sent to, like a scorecard link: once the
    leader changes or removes the member's address (or the person deletes their Huddle account,
    which removes it), the link stops."""
    return signing.dumps({"ack": ack.pk, "e": address_key(ack.member.email)}, salt=ACK_SALT)


def ack_from_token(token: str) -> TargetAcknowledgement | None:
    """The acknowledgement a signed link points at; None for a forged, mangled or expired link."""
    try:
        data = signing.loads(token, salt=ACK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("ack"), int):
        return None
    ack = (
        TargetAcknowledgement.objects.select_related("member", "communication__team__leader")
        .filter(pk=data["ack"])
        .first()
    )
    if ack is None or not ack.member.email:
        return None  # no address: nobody was sent this link (or the address was removed since)
    if "e" in data and data["e"] != address_key(ack.member.email):  # links sent before had no "e"
        return None
    return ack


def target_sheet_context(ack: TargetAcknowledgement) -> dict:
    """What the email, the PDF sheet and the member's page show: the sheet as sent (the snapshot),
    and, when the member confirmed an earlier sheet, that one too."""
    communication = ack.communication
    if ack.sent_targets:
        targets = _sheet_rows(ack.sent_targets)
    else:  # sent before snapshots were kept: the targets as they are now
        targets = list(
            Target.objects.filter(member=ack.member, month=communication.month, metric__archived=False)
            .select_related("metric")
            .order_by("metric__order", "metric__pk")
        )
    return {
        "acknowledged_earlier": _sheet_rows(ack.acknowledged_targets)
        if ack.sent_targets and ack.acknowledged_earlier_version
        else [],
        "member": ack.member,
        "team": communication.team,
        "leader": communication.team.leader,
        "month": communication.month,
        "targets": targets,
        "ack_url": settings.SITE_URL + reverse("tracker:acknowledge", args=[ack_token(ack)]),
    }
