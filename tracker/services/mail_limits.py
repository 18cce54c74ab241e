"""Mail a leader makes the site send (targets, celebration notes) has a daily ceiling per leader,
so an account cannot turn the site into a mailer with its own text. Recipients are always members
of the leader's own team (the services only address `team.members`)."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone


def leader_mail_reserve(*, leader_id: int, count: int) -> None:
    """Count `count` emails today for `leader_id`, the person who sends them (the team's owner or a
    co-leader: each has their own limit); ValidationError (nothing counted) past the limit."""
    limit = getattr(settings, "TRACKER_LEADER_EMAILS_PER_DAY", 500)
    key = f"tracker:leader-mail:{leader_id}:{timezone.localdate():%Y%m%d}"
    cache.add(key, 0, timeout=2 * 86400)
    try:
        total = cache.incr(key, count)
    except ValueError:  # expired between add and incr
        cache.set(key, count, timeout=2 * 86400)
        total = count
    if total is not None and total > limit:
        cache.decr(key, count)
        raise ValidationError(
            f"You have reached today's limit of {limit} emails from the tracker. Please send the rest tomorrow."
        )
