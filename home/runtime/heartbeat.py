"""Heartbeats and leases of the worker and scheduler processes (see models)."""

import socket
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Heartbeat, Lease

BEAT_SECONDS = 5
# A process silent for this long is dead, and a standby scheduler takes the lease over (within this
# plus one beat). settings.RUNTIME_LEASE_SECONDS, 30 s by default; keep it several beats long.
LEASE = timedelta(seconds=getattr(settings, "RUNTIME_LEASE_SECONDS", 30))


def heartbeat_touch(*, process_id: str, kind: str) -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(process_id=process_id).update(last_seen=now)
    if not updated:
        Heartbeat.objects.update_or_create(
            process_id=process_id,
            defaults={"kind": kind, "hostname": socket.gethostname()[:255], "last_seen": now, "started_at": now},
        )


def heartbeat_forget(*, process_id: str) -> None:
    Heartbeat.objects.filter(process_id=process_id).delete()


def live_process_ids(*, kind: str, now=None) -> set[str]:
    now = now or timezone.now()
    return set(Heartbeat.objects.filter(kind=kind, last_seen__gte=now - LEASE).values_list("process_id", flat=True))


def last_heartbeat(*, kind: str):
    """The most recent heartbeat of any process of this kind, or None."""
    return Heartbeat.objects.filter(kind=kind).order_by("-last_seen").values_list("last_seen", flat=True).first()


def lease_acquire(*, name: str, holder: str, duration: timedelta = LEASE) -> bool:
    """Take or renew the lease `name` for `holder`; True when `holder` holds it now."""
    now = timezone.now()
    taken = Lease.objects.filter(Q(holder=holder) | Q(expires_at__lt=now), name=name).update(
        holder=holder, expires_at=now + duration
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=now + duration)
        return True
    except IntegrityError:
        return False


def lease_release(*, name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).delete()


def old_heartbeats_prune(*, older_than: timedelta = timedelta(days=1)) -> int:
    return Heartbeat.objects.filter(last_seen__lt=timezone.now() - older_than).delete()[0]
