"""The links in the rhythm emails: the one-click link to do the step, and the signed one-click
unsubscribe link for one kind of reminder of one team (no login; it never expires, as an
unsubscribe link must keep working)."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import ReminderKind

UNSUBSCRIBE_SALT = "tracker.rhythm.unsubscribe"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_token(*, team_id: int, kind: str) -> str:
    return signing.dumps({"t": team_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(team_id, kind) of a genuine link; None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or data.get("k") not in ReminderKind.values:
        return None
    return data["t"], data["k"]


def unsubscribe_url(*, team_id: int, kind: str) -> str:
    return absolute(reverse("tracker:rhythm_unsubscribe", args=[unsubscribe_token(team_id=team_id, kind=kind)]))


def step_url(*, team_id: int, kind: str, month: datetime.date | None) -> str:
    """Where the leader does what the reminder asks, in one click (after logging in if needed)."""
    K = ReminderKind
    by_kind = {
        K.TARGETS_NEXT: ("tracker:targets", [team_id, month]),
        K.TARGETS_DUE: ("tracker:communicate", [team_id, month]),
        K.ACKNOWLEDGEMENTS: ("tracker:rhythm_waiting", [team_id, month]),
        K.RESULTS_ENTRY: ("tracker:results", [team_id, month]),
        K.PRESENT_RESULTS: ("tracker:meeting", [team_id, month]),
        K.ONE_ON_ONES: ("tracker:reviews", [team_id, month]),
        K.SUBPAR: ("tracker:reviews", [team_id, month]),
        K.COMMITMENTS: ("tracker:team", [team_id]),
        K.DIGEST: ("tracker:consistency", [team_id]),
    }
    name, args = by_kind[kind]
    return absolute(reverse(name, args=args))
