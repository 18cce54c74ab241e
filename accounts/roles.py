"""Who the coach is: the one answer every check in the project asks.

The coach (and her staff) see every learner's progress, read every lesson in full, run the
reports and own the admin screens. The role is a permission, `accounts.coach`, held directly or
through a group, so it is given where Wagtail gives every other right: in its Groups and Users
screens. Migration `accounts.0003` grants it to a "Coaches" group (with Wagtail admin access) and to
Wagtail's own "Editors" and "Moderators" groups; `seed_demo` gives Coaches page permissions on the
tree. Superusers are always the coach; inactive accounts never are. `is_staff` plays no part.

Every view, selector, menu and template that needs to know asks `is_coach(user)` (templates:
`{% load roles %}{% if user|is_coach %}`), the admin menu uses `CoachMenuItem`, and mail meant for
the coach goes to `coaches()`. The answer is kept on the user object (one query per request at
most, none when Django's own permission cache is already filled).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.admin.menu import MenuItem

COACH_PERMISSION = "accounts.coach"
COACHES_GROUP = "Coaches"
_ANSWER = "_huddle_is_coach"


def coach_permission() -> QuerySet:
    """The `accounts.coach` permission row (a queryset, to filter on)."""
    return Permission.objects.filter(content_type__app_label="accounts", codename="coach")


def is_coach(user: Any) -> bool:
    """True for an active superuser or an account holding the coach permission (directly or
    through a group); False for anonymous users and leaders."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    answer = getattr(user, _ANSWER, None)  # set by the user load (`with_coach_answer`) or below
    if answer is None:
        if hasattr(user, "_perm_cache"):  # Django's ModelBackend already loaded every permission
            answer = COACH_PERMISSION in user._perm_cache
        else:
            answer = coach_permission().filter(Q(user=user) | Q(group__user=user)).exists()
        setattr(user, _ANSWER, answer)
    return bool(answer)


def _holds_coach_permission(user_ref: str = "pk"):
    permission = coach_permission()
    return Exists(permission.filter(user=OuterRef(user_ref))) | Exists(
        permission.filter(group__user=OuterRef(user_ref))
    )


def coach_answer_of(user_ref: str):
    """An annotation: whether the user at `user_ref` (e.g. "user_id" on a row about a user) holds the
    coach permission; hand it to `remember_coach_answer` so `is_coach` asks nothing more."""
    return _holds_coach_permission(user_ref)


def remember_coach_answer(user: Any, holds_permission: bool) -> None:
    """Keep `coach_answer_of`'s answer on a user loaded through another row (no query later)."""
    setattr(user, _ANSWER, bool(holds_permission))


def with_coach_answer() -> QuerySet:
    """Users with `is_coach`'s answer loaded in the same query (the per-request user load)."""
    return get_user_model()._default_manager.annotate(**{_ANSWER: _holds_coach_permission()})


def coaches() -> QuerySet:
    """The accounts `is_coach` says yes to, e.g. to email the coach about a dispute."""
    return get_user_model().objects.filter(coaches_q())


def coaches_q() -> Q:
    """`coaches()` as a condition, for subqueries on users."""
    return (Q(is_superuser=True) | _holds_coach_permission()) & Q(is_active=True)


class CoachMenuItem(MenuItem):
    """A Wagtail admin menu item for the coach's screens, shown to the coach only."""

    def is_shown(self, request):
        return is_coach(request.user)
