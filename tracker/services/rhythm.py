"""Writes for the leader's monthly rhythm: the team's reminder settings, turning one kind off from
an email's unsubscribe link, and "remind only those" who have not acknowledged their targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from home.core.mail import email_queue

from ..models import AcknowledgementReminder, ReminderKind, TargetAcknowledgement, TargetCommunication, Team, TeamRhythm
from ..selectors.communication import ack_token

REMIND_AGAIN_AFTER = datetime.timedelta(hours=12)  # a double click or a second leader does not email twice


@transaction.atomic
def rhythm_settings_update(*, team: Team, country: str, kinds_on: list[str]) -> TeamRhythm:
    """Set the team's country and which reminder kinds are on (every other kind is off)."""
    from ..rhythm.calendar import country_choices

    if country not in dict(country_choices()):
        raise ValidationError({"country": "Choose a country from the list."})
    rhythm, _ = TeamRhythm.objects.select_for_update().get_or_create(team=team)
    rhythm.country = country
    rhythm.kinds_off = [k for k in ReminderKind.values if k not in set(kinds_on)]
    rhythm.full_clean()
    rhythm.save()
    return rhythm


@transaction.atomic
def rhythm_kind_turn_off(*, team_id: int, kind: str) -> TeamRhythm | None:
    """One-click unsubscribe: turn `kind` off for the team. Idempotent; None if the team is gone."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return None
    rhythm, _ = TeamRhythm.objects.select_for_update().get_or_create(team=team)
    if kind not in rhythm.kinds_off:
        rhythm.kinds_off = [*rhythm.kinds_off, kind]
        rhythm.save(update_fields=["kinds_off"])
    return rhythm


@transaction.atomic
def acknowledgement_reminders_send(*, communication: TargetCommunication) -> int:
    """Email a reminder to each active member with an address who has not acknowledged the
    month's targets yet, and nobody else. Members reminded in the last REMIND_AGAIN_AFTER are
    skipped. Returns how many were reminded."""
    now = timezone.now()
    waiting = list(
        TargetAcknowledgement.objects.select_for_update(of=("self",))
        .filter(communication=communication, acknowledged_at__isnull=True, member__active=True)
        .exclude(member__email="")
        .select_related("member")
    )
    recent = set(
        AcknowledgementReminder.objects.filter(
            acknowledgement__in=waiting, sent_at__gte=now - REMIND_AGAIN_AFTER
        ).values_list("acknowledgement_id", flat=True)
    )
    team = communication.team
    sent = 0
    for ack in waiting:
        if ack.pk in recent:
            continue
        AcknowledgementReminder.objects.create(acknowledgement=ack, sent_at=now)
        context = {
            "member": ack.member,
            "team": team,
            "leader": team.leader,
            "month": communication.month,
            "ack_url": settings.SITE_URL + reverse("tracker:acknowledge", args=[ack_token(ack)]),
        }
        message = EmailMultiAlternatives(
            subject=f"Please confirm your {communication.month:%B} targets",
            body=render_to_string("tracker/email/ack_reminder.txt", context),
            to=[ack.member.email],
            reply_to=[team.leader.email],
        )
        message.attach_alternative(render_to_string("tracker/email/ack_reminder.html", context), "text/html")
        transaction.on_commit(lambda m=message: email_queue(m))
        sent += 1
    return sent
