"""Scheduled webinar emails: reminders 24 h and 1 h before, the replay after, time changes and
called-off sessions. Enqueued every minute by the scheduler (`webinar_emails_send_due`); `manage.py send_webinar_emails` runs it by hand.

Exactly once, by a claim ledger (chosen over select_for_update(skip_locked=True) because it also
survives crashes and works the same on SQLite and PostgreSQL):

1. For every email that is due, INSERT a WebinarEmail(registration, kind) row carrying this run's
   claim id, ignoring conflicts. The unique (registration, kind) constraint lets exactly one run
   win each row; the claim is committed BEFORE any mail is sent.
2. Send only the rows carrying our claim id, then stamp `sent_at`.
3. A crash between claim and send leaves a row without `sent_at`. Once its lease (LEASE) runs
   out, the next run takes it over with one conditional UPDATE (only one run can match), so the
   email still goes out. The only repeat possible is a crash in the instant after the SMTP server
   accepted a message and before `sent_at` was written.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from .emails import build_webinar_email
from .followups import LEDGER_KIND as FOLLOWUP_KIND
from .followups import followup_templates_with_replay, followups_due
from .models import WebinarEmail, WebinarRegistration, WebinarSession
from .selectors import attendance_final_at
from .services import webinar_session_fill_from_waitlist

logger = logging.getLogger(__name__)
Status = WebinarRegistration.Status
LEASE = timedelta(minutes=2)
RENEW_SECONDS = 10  # a long run renews its claim so nobody takes its rows over
REPLAY_WINDOW = timedelta(days=30)  # replays added later than this are not mailed out


def _due(now) -> list[tuple[WebinarRegistration, str, str]]:
    """(registration, ledger kind, template kind) for every email due at `now`."""
    base = WebinarRegistration.objects.select_related("session__page").filter(session__is_cancelled=False)
    due = []
    day, hour = timedelta(hours=24), timedelta(hours=1)
    seated = base.filter(status=Status.REGISTERED)
    for reg in seated.filter(
        session__starts_at__lte=now + day,
        session__starts_at__gt=now + hour,
        seated_at__lt=F("session__starts_at") - day,
    ):
        due.append((reg, f"reminder_24h:v{reg.session.schedule_version}", "reminder_24h"))
    for reg in seated.filter(
        session__starts_at__lte=now + hour, session__starts_at__gt=now, seated_at__lt=F("session__starts_at") - hour
    ):
        due.append((reg, f"reminder_1h:v{reg.session.schedule_version}", "reminder_1h"))
    for reg in seated.filter(session__starts_at__gt=now, calendar_version__lt=F("session__schedule_version")):
        due.append((reg, f"update:v{reg.session.schedule_version}", "update"))
    replays = base.filter(
        status__in=[Status.REGISTERED, Status.WAITLISTED],
        session__starts_at__lte=now,
        session__starts_at__gt=now - REPLAY_WINDOW,
    ).exclude(session__replay_url="")
    for reg in replays:
        if attendance_final_at(reg.session) <= now:  # wait for the meeting's attendance import
            due.append((reg, "replay", "replay_attended" if reg.attended_at else "replay_missed"))
    called_off = WebinarRegistration.objects.select_related("session__page").filter(
        session__is_cancelled=True, status=Status.REGISTERED, session__starts_at__gt=now - timedelta(days=1)
    )
    for reg in called_off:
        due.append((reg, "session_cancelled", "session_cancelled"))
    followups = followups_due(now)  # one follow-up per seated registrant, by segment (followups.py)
    due.extend(followups)
    return _without_replays_the_followup_carries(due, followups, now)


def _without_replays_the_followup_carries(due, followups, now):
    """A follow-up whose text carries the replay link replaces the replay email: one message after
    the session, not two. Only while that follow-up is still to be sent and the session has a
    replay to link (a replay added after the follow-up went out is still mailed on its own). The
    replay's ledger row is written as sent, so no later run mails it either."""
    with_replay = followup_templates_with_replay() if followups else set()
    pending = {reg.pk: reg for reg, _, template in followups if template in with_replay and reg.session.replay_url}
    if not pending:
        return due
    sent = set(
        WebinarEmail.objects.filter(
            kind=FOLLOWUP_KIND, sent_at__isnull=False, registration_id__in=list(pending)
        ).values_list("registration_id", flat=True)
    )
    covered = [reg for pk, reg in pending.items() if pk not in sent]
    WebinarEmail.objects.bulk_create(
        [WebinarEmail(registration=reg, kind="replay", claimed_at=now, sent_at=now) for reg in covered],
        ignore_conflicts=True,
    )
    covered_pks = {reg.pk for reg in covered}
    return [item for item in due if not (item[1] == "replay" and item[0].pk in covered_pks)]


def _claim(due: list[tuple[WebinarRegistration, str, str]], now) -> tuple[uuid.UUID, set[tuple[int, str]]]:
    claim = uuid.uuid4()
    WebinarEmail.objects.bulk_create(
        [WebinarEmail(registration=reg, kind=kind, claim=claim, claimed_at=now) for reg, kind, _ in due],
        ignore_conflicts=True,
    )
    # Take over rows whose claimer crashed before sending (lease expired).
    stale = Q(sent_at__isnull=True, claimed_at__lt=now - LEASE)
    for row in WebinarEmail.objects.filter(stale).values("pk", "claim"):
        WebinarEmail.objects.filter(stale, pk=row["pk"], claim=row["claim"]).update(claim=claim, claimed_at=now)
    mine = WebinarEmail.objects.filter(claim=claim, sent_at__isnull=True).values_list("registration_id", "kind")
    return claim, set(mine)


def webinar_emails_dispatch(*, now=None) -> dict[str, int]:
    """Send every scheduled webinar email that is due, each exactly once per registration and kind,
    even when several dispatchers run at once. Returns how many of each kind were sent."""
    now = now or timezone.now()
    # Seats added by the coach (capacity raised) go to the waitlist first.
    for session_id in WebinarSession.objects.filter(starts_at__gt=now, is_cancelled=False).values_list("pk", flat=True):
        webinar_session_fill_from_waitlist(session_id=session_id)

    due = _due(now)
    claim, mine = _claim(due, now)
    by_key = {(reg.pk, kind): (reg, template) for reg, kind, template in due}
    # Rows taken over from a crashed run may not be due in this pass's list; load them.
    missing = [key for key in mine if key not in by_key]
    if missing:
        regs = WebinarRegistration.objects.select_related("session__page").in_bulk([pk for pk, _ in missing])
        for pk, kind in missing:
            template = kind.split(":")[0]
            if template == "replay":
                template = "replay_attended" if regs[pk].attended_at else "replay_missed"
            by_key[(pk, kind)] = (regs[pk], template)
    sent: dict[str, int] = {}
    connection = get_connection()
    renewed = time.monotonic()
    with connection:
        for key in sorted(mine):
            if time.monotonic() - renewed > RENEW_SECONDS:
                WebinarEmail.objects.filter(claim=claim, sent_at__isnull=True).update(claimed_at=timezone.now())
                renewed = time.monotonic()
            registration, template = by_key[key]
            message = build_webinar_email(registration=registration, kind=template)
            message.connection = connection
            message.send()
            WebinarEmail.objects.filter(registration_id=key[0], kind=key[1], claim=claim).update(sent_at=timezone.now())
            if template == "update":
                WebinarRegistration.objects.filter(pk=registration.pk).update(
                    calendar_version=registration.session.schedule_version
                )
            sent[template] = sent.get(template, 0) + 1
    logger.info("webinar emails sent: %s", sent)
    return sent
