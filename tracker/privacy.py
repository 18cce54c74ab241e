"""Privacy for the tracker: the leader's teams in "download my data", and what deleting the
account removes. The team members are the leader's own records about their team, so the teams
go with the leader (the FK cascades) and nothing here is kept."""

from accounts.export import own_email_q, plain, register_exporter
from accounts.export_rows import all_fields, rows_in_one_query
from accounts.signals import account_deleting

from .data_version import bump_data_version
from .models import (
    ActionItem,
    Celebration,
    ConsistencySettings,
    ImprovementPlan,
    MeetingPresentation,
    Member,
    Metric,
    OneOnOne,
    PlanCheckIn,
    PresentationEvent,
    Result,
    ResultImport,
    Target,
    TargetAcknowledgement,
    TargetCommunication,
    Team,
    TeamCoLeader,
    TrackerAccess,
)

# Section name -> (rows of the leader's teams, path from a row to its team id, sort keys).
SECTIONS = {
    "members": (Member, "team_id", ("name", "id")),
    "metrics": (Metric, "team_id", ("order", "id")),
    "targets": (Target, "member__team_id", ("month", "member_id", "metric_id")),
    "results": (Result, "member__team_id", ("month", "member_id", "metric_id")),
    "target_communications": (TargetCommunication, "team_id", ("month",)),
    "target_acknowledgements": (TargetAcknowledgement, "communication__team_id", ("id",)),
    "meeting_presentations": (MeetingPresentation, "team_id", ("month",)),
    "presentation_events": (PresentationEvent, "team_id", ("month", "at", "id")),
    "result_imports": (ResultImport, "team_id", ("created_at", "id")),
    "one_on_ones": (OneOnOne, "team_id", ("month", "member_id")),
    "action_items": (ActionItem, "team_id", ("created_at", "id")),
    "improvement_plans": (ImprovementPlan, "team_id", ("opened_at", "id")),
    "plan_check_ins": (PlanCheckIn, "plan__team_id", ("on", "id")),
    "celebrations": (Celebration, "team_id", ("month", "id")),
    "consistency_settings": (ConsistencySettings, "team_id", ("id",)),
}
# An import's raw rows repeat the results exported here, so only what was imported and when.
EXCLUDE = {ResultImport: ("rows", "problems")}


def tracker_export(user) -> dict:
    """Every team the user leads, one dict per team with its members, metrics, targets, results,
    1:1s, action items, plans and celebrations; plus the teams they co-lead (names only) and
    their free trial. One query, however many teams, members and months."""
    sections = {
        name: (
            model.objects.filter(**{f"{team_path}__in": Team.objects.filter(leader=user).values("pk")}),
            {**all_fields(model, exclude=EXCLUDE.get(model, ())), "team_key": team_path},
            order,
        )
        for name, (model, team_path, order) in SECTIONS.items()
    }
    rows = rows_in_one_query(
        {
            "teams": (Team.objects.filter(leader=user), all_fields(Team, exclude=("leader",)), ("name", "id")),
            "co_led_teams": (
                TeamCoLeader.objects.filter(user=user),
                {"team": "team__name", "added_at": "added_at"},
                ("team",),
            ),
            "free_trial": (TrackerAccess.objects.filter(user=user), {"note": "note", "created_at": "created_at"}, ()),
            **sections,
        }
    )
    teams = {team["id"]: {**team, **{name: [] for name in SECTIONS}} for team in rows["teams"]}
    for name in SECTIONS:
        for row in rows[name]:
            teams[row.pop("team_key")][name].append(row)
    return plain(
        {
            "teams": list(teams.values()),
            "co_led_teams": rows["co_led_teams"],
            "free_trial": rows["free_trial"][0] if rows["free_trial"] else None,
        }
    )


def tracker_account_deleting(sender, user, **kwargs) -> None:
    """Remove the leader's teams (and with them every member record, result and note) and their
    co-leader seats. The user FKs cascade anyway; doing it here keeps the rule visible.

    Member rows that OTHER leaders typed about this person stay: the name and the numbers are those
    leaders' own business records. But an address the person confirmed on their account is contact
    data they gave no one, so it goes from those rows; with it go the 1:1 invitations and scorecard
    links (a scorecard link is bound to the address it was sent to). An address the account never
    confirmed proves nothing about whose it is, so rows holding it are left alone."""
    Team.objects.filter(leader=user).delete()
    TeamCoLeader.objects.filter(user=user).delete()
    if Member.objects.filter(own_email_q(user)).exclude(email="").update(email=""):
        bump_data_version()  # update() sends no signal: cached grids and boards hold these members


# Registered on import: the AppConfig imports this module in ready().
register_exporter("tracker", tracker_export)
account_deleting.connect(tracker_account_deleting, dispatch_uid="tracker.privacy")
