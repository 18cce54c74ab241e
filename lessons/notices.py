"""Writes: the coach unlocks a module, and "your next step is open" emails, once per leader and module.

`module_open_notices_send` is idempotent and safe to run from several workers at once: each email is
claimed by inserting a `ModuleOpenNotice` (unique per leader and module) before it is sent. The
scheduler calls it every few minutes (`manage.py send_module_open_emails`, or the
`send_module_open_emails` task); `module_unlock` sends the coach's unlock at once, through the same claim.

A module counts as opened for a leader when its date ("N days after enrollment") passed within the
last NOTICE_WINDOW, or the coach unlocked it within that window while its own rule still held it
shut. The window keeps a first run (or a long outage) from mailing every leader about old steps.
Modules that open when the previous one is complete are not mailed: the leader opens them
themselves, and the page takes them straight there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from home.core.mail import email_queue_plain
from program.models import Enrollment

from .models import ModuleOpenNotice, ModulePage, ModuleUnlock
from .selectors import ModuleItem, ProgramState, program_state

NOTICE_WINDOW = timedelta(days=2)


def _drip_opens_at(state: ProgramState, module: ModuleItem) -> datetime | None:
    if module.drip != ModulePage.Drip.DAYS or state.enrollment is None:
        return None
    return state.enrollment.enrolled_at + timedelta(days=module.drip_days)


def _held_by_own_rule(state: ProgramState, module: ModuleItem, now: datetime) -> bool:
    """Would the module's drip rule alone (no unlock) keep it shut now?"""
    opens_at = _drip_opens_at(state, module)
    if opens_at is not None:
        return now < opens_at
    if module.drip == ModulePage.Drip.PREVIOUS and module.number > 1:
        previous = state.modules[module.number - 2]
        return not previous.is_complete
    return False


def _claim_and_send(*, user: User, state: ProgramState, module: ModuleItem, reason: str, note: str = "") -> bool:
    """Insert the notice (the claim) and send the email after commit; False if already told."""
    try:
        with transaction.atomic():
            ModuleOpenNotice.objects.create(user=user, module_id=module.id, reason=reason)
    except IntegrityError:
        return False
    context = {
        "user": user,
        "program": state.program,
        "module": module,
        "reason": reason,
        "note": note,
        "module_url": settings.SITE_URL + module.url,
    }
    subject = f"Step {module.number} of {state.program.title} is open: {module.title}"
    body = render_to_string("lessons/email/module_open.txt", context)
    transaction.on_commit(
        lambda: email_queue_plain(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    )
    return True


def module_open_notices_send(*, now: datetime | None = None) -> int:
    """Email every active leader whose module opened within NOTICE_WINDOW and who was not told yet.
    Returns the number of emails sent. Idempotent: a second run sends nothing."""
    now = now or timezone.now()
    since = now - NOTICE_WINDOW
    recent_unlocks = list(ModuleUnlock.objects.filter(created_at__gte=since, created_at__lte=now))
    dripped = ModulePage.objects.live().filter(drip=ModulePage.Drip.DAYS).values_list("path", "drip_days")
    # Only enrollments with a drip date inside the window, or in a program with a recent unlock.
    candidates = Q(pk__in=[])
    for path, days in dripped:
        candidates |= Q(
            program__path=path[: -ModulePage.steplen],
            enrolled_at__gte=since - timedelta(days=days),
            enrolled_at__lte=now - timedelta(days=days),
        )
    unlocked_modules = {unlock.module_id for unlock in recent_unlocks}
    if unlocked_modules:
        unlocked_paths = ModulePage.objects.filter(pk__in=unlocked_modules).values_list("path", flat=True)
        for path in unlocked_paths:
            candidates |= Q(program__path=path[: -ModulePage.steplen])
    enrollments = Enrollment.objects.filter(candidates, status=Enrollment.Status.ACTIVE).select_related(
        "user", "program"
    )
    told = set(
        ModuleOpenNotice.objects.filter(
            user__in=enrollments.values("user"), module__in=_module_ids(enrollments)
        ).values_list("user_id", "module_id")
    )
    sent = 0
    with transaction.atomic():
        for enrollment in enrollments:
            state = program_state(user=enrollment.user, program=enrollment.program)
            for module in state.modules:
                if module.locked or (enrollment.user_id, module.id) in told:
                    continue
                opens_at = _drip_opens_at(state, module)
                if opens_at is not None and since <= opens_at <= now:
                    reason = ModuleOpenNotice.Reason.DRIP
                elif any(
                    unlock.module_id == module.id and unlock.user_id in (None, enrollment.user_id)
                    for unlock in recent_unlocks
                ) and _held_by_own_rule(state, module, now):
                    reason = ModuleOpenNotice.Reason.COACH
                else:
                    continue
                sent += _claim_and_send(user=enrollment.user, state=state, module=module, reason=reason)
    return sent


def _module_ids(enrollments) -> list[int]:
    paths = {enrollment.program.path for enrollment in enrollments}
    if not paths:
        return []
    in_programs = Q()
    for path in paths:
        in_programs |= Q(path__startswith=path)
    return list(ModulePage.objects.filter(in_programs).values_list("pk", flat=True))


@transaction.atomic
def module_unlock(*, module: ModulePage, user: User, unlocked_by: User, note: str = "") -> ModuleUnlock:
    """Open `module` early for one leader (idempotent) and tell them at once, once."""
    unlock, _ = ModuleUnlock.objects.get_or_create(module=module, user=user, defaults={"unlocked_by": unlocked_by})
    program = module.get_parent().specific
    state = program_state(user=user, program=program)
    item = state.module_for(module.pk)
    active = item is not None and state.enrollment is not None and state.enrollment.is_active
    if active and _held_by_own_rule(state, item, timezone.now()):
        _claim_and_send(user=user, state=state, module=item, reason=ModuleOpenNotice.Reason.COACH, note=note)
    return unlock
