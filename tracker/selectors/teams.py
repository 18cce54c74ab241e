"""Who may use the tracker, and the teams a user leads or co-leads."""

import datetime

from django.contrib.auth.models import Group
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from accounts.roles import coach_permission, is_coach
from home.core.caching.compiled import exists_compiled, rows_compiled
from home.core.caching.fetch import by_pk
from program.models import Enrollment

from ..models import Member, Team, TeamCoLeader, TrackerAccess
from ..rules import month_start


def user_can_use_tracker(user) -> bool:
    """The coach, leaders with an active enrollment in any program, users on a free trial, and
    co-leaders a leader invited (they may run that team with them). One query at most."""
    if not user.is_authenticated:
        return False
    if is_coach(user):
        return True
    # Asked on every tracker page: its SQL is compiled once per process (home/core/caching/compiled.py).
    return exists_compiled("tracker:may-use", _may_use_query, user_id=user.pk, today=timezone.localdate())


def _may_use_query(*, user_id: int, today: datetime.date) -> QuerySet:
    return User.objects.filter(pk=user_id).filter(_may_use_tracker(user_id, today=today))


def _may_use_tracker(user_id: int, *, today: datetime.date | None = None) -> Q:
    """The condition of `user_can_use_tracker` for a non-staff user, as subqueries on the user's id
    (usable in any query: the dashboard asks it alongside the user's teams)."""
    today = today or timezone.localdate()
    enrolled = Enrollment.objects.filter(user=user_id, status=Enrollment.Status.ACTIVE)
    trial = TrackerAccess.objects.filter(user=user_id).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    co_leads = TeamCoLeader.objects.filter(user=user_id).filter(owner_has_access("team__leader", today=today))
    return Q(Exists(enrolled)) | Q(Exists(trial)) | Q(Exists(co_leads))


def owner_has_access(leader: str, *, today: datetime.date | None = None) -> Q:
    """The team's owner (the user at the `leader` path, e.g. "team__leader") may use the tracker:
    a co-leader works under the owner's enrollment or trial, so co-leading ends when it does."""
    owner = OuterRef(leader)
    enrolled = Enrollment.objects.filter(user=owner, status=Enrollment.Status.ACTIVE)
    trial = TrackerAccess.objects.filter(user=owner).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today or timezone.localdate())
    )
    return Q(Exists(enrolled)) | Q(Exists(trial)) | Q(Exists(_coach(owner)))


def _coach(user) -> QuerySet:
    """The user (an id or an `OuterRef`) if `accounts.roles.coaches_q()` says yes to them: an active
    superuser or holder of the coach permission, directly or through a group. Written as nested
    `IN` subqueries, not `coaches_q`'s joins: PostgreSQL plans this in a fraction of the time (the
    dashboard's access query: about 0.5 ms instead of 11 ms of planning, its execution 0.1 ms)."""
    permission = coach_permission().values("pk")
    direct = User.user_permissions.through.objects.filter(user=OuterRef("pk"), permission__in=permission)
    groups = Group.permissions.through.objects.filter(permission__in=permission).values("group_id")
    via_group = User.groups.through.objects.filter(user=OuterRef("pk"), group__in=groups)
    return User.objects.filter(pk=user, is_active=True).filter(
        Q(is_superuser=True) | Q(Exists(direct)) | Q(Exists(via_group))
    )


def teams_for_user(user) -> QuerySet[Team]:
    """Teams the user leads or co-leads: the only teams they may see."""
    if not user.is_authenticated:
        return Team.objects.none()
    co_led = TeamCoLeader.objects.filter(team=OuterRef("pk"), user=user).filter(owner_has_access("team__leader"))
    return Team.objects.filter(Q(leader=user) | Q(Exists(co_led)))


def team_for_user(*, user, team_id: int) -> Team:
    """The team if the user leads or co-leads it; otherwise Http404 (no hint that it exists).

    The same answer as `teams_for_user(user).filter(pk=team_id)`, asked in two steps because it is
    asked on every tracker page: the team by id with its SQL compiled once (home/core/caching/fetch.py;
    for its leader, `team.leader` is the user, no query), then for anyone else the co-leader
    condition, with its SQL compiled once too (home/core/caching/compiled.py)."""
    team = by_pk(Team, team_id) if user.is_authenticated and 0 < team_id < 2**63 else None
    if team is None:
        raise Http404("No such team.")
    if team.leader_id == user.pk:
        _leader_is(team, user)
    elif not _co_leads(team_id=team.pk, user_id=user.pk):
        raise Http404("No such team.")
    return team


def tracker_team_for_user(*, user, team_id: int) -> Team | None:
    """A tracker page's access check and its team in one step: None when the user may not use the
    tracker (the page answers 403, as before any team is looked at), else `team_for_user`'s answer
    (the team, or Http404). Co-leading this team implies the tracker access (`_may_use_tracker`
    asks the same co-leading condition for any team). One query: the team by id with "does the user
    co-lead it?" and "may the user use the tracker?" asked alongside (its SQL compiled once,
    home/core/caching/compiled.py); a second one only when no such team exists (403 or 404)."""
    if not user.is_authenticated:
        return None
    rows = []
    if 0 < team_id < 2**63:
        today = timezone.localdate()
        rows = rows_compiled("tracker:team-access", _team_access_query, team_id=team_id, user_id=user.pk, today=today)
    if not rows:
        if not user_can_use_tracker(user):
            return None
        raise Http404("No such team.")
    team = rows[0]
    co_leads, may_use = team.__dict__.pop("co_leads"), team.__dict__.pop("may_use")  # not kept with the team
    if team.leader_id != user.pk and co_leads:
        return team
    if not (may_use or is_coach(user)):
        return None
    if team.leader_id != user.pk:  # not theirs (co-leading was asked above)
        raise Http404("No such team.")
    _leader_is(team, user)
    return team


def _team_access_query(*, team_id: int, user_id: int, today: datetime.date) -> QuerySet:
    return Team.objects.filter(pk=team_id).annotate(
        co_leads=Exists(_co_leads_query(team_id=team_id, user_id=user_id, today=today)),
        may_use=ExpressionWrapper(_may_use_tracker(user_id, today=today), output_field=BooleanField()),
    )


def _leader_is(team: Team, user) -> None:
    """`team.leader` is the user who leads it (the request's, unwrapped from its lazy object): no query."""
    Team.leader.field.set_cached_value(team, user._wrapped if isinstance(user, SimpleLazyObject) else user)


def _co_leads(*, team_id: int, user_id: int) -> bool:
    return exists_compiled(
        "tracker:co-leads", _co_leads_query, team_id=team_id, user_id=user_id, today=timezone.localdate()
    )


def _co_leads_query(*, team_id: int, user_id: int, today: datetime.date) -> QuerySet:
    return TeamCoLeader.objects.filter(team=team_id, user=user_id).filter(owner_has_access("team__leader", today=today))


def current_month() -> datetime.date:
    return month_start(timezone.localdate())


def team_member_ids(team: Team) -> QuerySet:
    """A subquery for filters on targets and results: `member__in=` this (not `member__team=`)
    lets the database search the (member, metric, month) index for this team's members instead
    of reading every team's rows for the month."""
    return Member.objects.filter(team=team).values("pk")


def dashboard_access(user) -> tuple[bool, list[Team]]:
    """May `user` use the tracker, and their teams by name: one query for a leader with teams (the
    access check rides along), two without. Both tracker dashboard panels take this, computed once
    per request (`accounts.dashboard.shared`). Its SQL is compiled once per process
    (home/core/caching/compiled.py): the ORM query is `_dashboard_teams_query`."""
    if not user.is_authenticated:
        return False, []
    coach = is_coach(user)
    teams = rows_compiled(
        "tracker:dashboard-teams-coach" if coach else "tracker:dashboard-teams",
        lambda **values: _dashboard_teams_query(coach=coach, **values),
        user_id=user.pk,
        today=timezone.localdate(),
    )
    can_use = teams[0].user_may_use if teams else user_can_use_tracker(user)
    return (True, teams) if can_use else (False, [])


def _dashboard_teams_query(*, user_id: int, today: datetime.date, coach: bool) -> QuerySet[Team]:
    """The teams `user_id` leads or co-leads (by name, with their consistency settings), each with
    `user_may_use`: may that user use the tracker (always, for the coach)."""
    may_use = (
        Value(True) if coach else ExpressionWrapper(_may_use_tracker(user_id, today=today), output_field=BooleanField())
    )
    co_led = TeamCoLeader.objects.filter(team=OuterRef("pk"), user=user_id).filter(
        owner_has_access("team__leader", today=today)
    )
    return (
        Team.objects.filter(Q(leader=user_id) | Q(Exists(co_led)))
        .select_related("consistency_settings")
        .annotate(user_may_use=may_use)
        .order_by("name")
    )
