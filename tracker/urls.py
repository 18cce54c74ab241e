from django.urls import path, register_converter

from .coach import leader_views
from .coach import views as coach_views
from .views import (
    annual_targets,
    cards,
    celebrations,
    communicate,
    consistency,
    exports,
    grids,
    history,
    imports,
    meeting,
    one_on_ones,
    plans,
    rhythm,
    sharing,
    teams,
)
from .views.access import MonthConverter

register_converter(MonthConverter, "month")

app_name = "tracker"
urlpatterns = [
    path("", teams.team_list, name="team_list"),
    path("step/<int:number>/", teams.step, name="step"),
    path("ack/<str:token>/", communicate.acknowledge, name="acknowledge"),
    path("co-lead/<str:token>/", teams.coleader_accept, name="coleader_accept"),
    path("<int:team_id>/", teams.team_dashboard, name="team"),
    path("<int:team_id>/settings/", teams.team_settings, name="team_settings"),
    path(
        "<int:team_id>/settings/invitations/<int:invitation_id>/withdraw/",
        teams.coleader_invitation_withdraw,
        name="coleader_invitation_withdraw",
    ),
    path("<int:team_id>/members/", teams.members, name="members"),
    path("<int:team_id>/members/<int:member_id>/", teams.member_edit, name="member"),
    path("<int:team_id>/members/<int:member_id>/active/", teams.member_active, name="member_active"),
    path("<int:team_id>/metrics/", teams.metrics, name="metrics"),
    path("<int:team_id>/metrics/<int:metric_id>/", teams.metric_edit, name="metric"),
    path("<int:team_id>/metrics/<int:metric_id>/move/", teams.metric_move, name="metric_move"),
    path("<int:team_id>/targets/", grids.targets_current, name="targets_current"),
    path("<int:team_id>/targets/annual/", annual_targets.annual_targets, name="annual_targets"),
    path("<int:team_id>/targets/seasonality/", annual_targets.seasonality_profiles, name="seasonality_profiles"),
    path("<int:team_id>/targets/<month:month>/", grids.targets, name="targets"),
    path("<int:team_id>/targets/<month:month>/member/<int:member_id>/", cards.targets_card, name="targets_card"),
    path("<int:team_id>/communicate/<month:month>/", communicate.communicate, name="communicate"),
    path("<int:team_id>/results/", grids.results_current, name="results_current"),
    path("<int:team_id>/results/<month:month>/", grids.results, name="results"),
    path("<int:team_id>/results/<month:month>/member/<int:member_id>/", cards.results_card, name="results_card"),
    path("<int:team_id>/import/", imports.import_upload, name="import"),
    path("<int:team_id>/import/<int:import_id>/", imports.import_preview, name="import_preview"),
    path("<int:team_id>/import/<int:import_id>/apply/", imports.import_apply, name="import_apply"),
    path("<int:team_id>/import/<int:import_id>/undo/", imports.import_undo, name="import_undo"),
    # Every change of a target or result: per month, per cell, as CSV; restoring an earlier value.
    path("<int:team_id>/history/<month:month>/", history.history_month, name="history"),
    path(
        "<int:team_id>/history/<month:month>/<int:member_id>/<int:metric_id>/<str:kind>/",
        history.history_cell,
        name="history_cell",
    ),
    path("<int:team_id>/history/changes.csv", history.history_csv, name="history_csv"),
    path("<int:team_id>/history/restore/<int:change_id>/", history.history_restore, name="history_restore"),
    path("<int:team_id>/rankings/", meeting.rankings_current, name="rankings_current"),
    path("<int:team_id>/rankings/<month:month>/", meeting.rankings, name="rankings"),
    path("<int:team_id>/meeting/<month:month>/", meeting.meeting, name="meeting"),
    path("<int:team_id>/meeting/<month:month>/pdf/", meeting.meeting_pdf, name="meeting_pdf"),
    path("<int:team_id>/meeting/<month:month>/presented/", meeting.meeting_presented, name="meeting_presented"),
    path("<int:team_id>/export.csv", exports.export_csv, name="export_csv"),
    path("<int:team_id>/export.json", exports.export_json, name="export_json"),
    # Step 3: the monthly 1:1s and their action items.
    path("<int:team_id>/reviews/", one_on_ones.reviews_current, name="reviews_current"),
    path("<int:team_id>/reviews/from-slots/", one_on_ones.one_on_ones_from_slots, name="one_on_ones_from_slots"),
    path("<int:team_id>/reviews/<month:month>/", one_on_ones.reviews_month, name="reviews"),
    path("<int:team_id>/reviews/<month:month>/<int:member_id>/", one_on_ones.one_on_one, name="one_on_one"),
    path("<int:team_id>/one-on-ones/<int:one_on_one_id>/invite.ics", one_on_ones.one_on_one_ics, name="one_on_one_ics"),
    path(
        "<int:team_id>/one-on-ones/<int:one_on_one_id>/invite/",
        one_on_ones.one_on_one_invite,
        name="one_on_one_invite",
    ),
    path(
        "<int:team_id>/one-on-ones/<int:one_on_one_id>/cancel/",
        one_on_ones.one_on_one_cancel,
        name="one_on_one_cancel",
    ),
    path("<int:team_id>/actions/<int:item_id>/done/", one_on_ones.action_item_done, name="action_item_done"),
    # Step 4: improvement plans.
    path("<int:team_id>/plans/new/<month:month>/<int:member_id>/", plans.plan_new, name="plan_new"),
    path("<int:team_id>/plans/<int:plan_id>/", plans.plan, name="plan"),
    path("<int:team_id>/plans/<int:plan_id>/pdf/", plans.plan_pdf, name="plan_pdf"),
    # Step 5: celebrations.
    path("<int:team_id>/celebrations/", celebrations.celebrations_current, name="celebrations_current"),
    path("<int:team_id>/celebrations/<month:month>/", celebrations.celebrations, name="celebrations"),
    path(
        "<int:team_id>/celebrations/note/<int:celebration_id>/",
        celebrations.celebration_note,
        name="celebration_note",
    ),
    # The leader's consistency over the five steps, and the coach's overview.
    path("<int:team_id>/consistency/", consistency.consistency_page, name="consistency"),
    path("coach/consistency/", consistency.coach_consistency, name="coach_consistency"),
    path("step/<int:number>/lesson/", consistency.step_lesson, name="step_lesson"),
]

# The leader's monthly rhythm (issue 17): reminder settings, "remind only those", unsubscribe.
urlpatterns += [
    path("<int:team_id>/reminders/", rhythm.rhythm_settings, name="rhythm_settings"),
    path("<int:team_id>/reminders/waiting/<month:month>/", rhythm.rhythm_waiting, name="rhythm_waiting"),
    path("reminders/off/<str:token>/", rhythm.rhythm_unsubscribe, name="rhythm_unsubscribe"),
]

# Results the team can see (issue 17): share by email, the office board link, a member's scorecard.
urlpatterns += [
    path("<int:team_id>/share/", sharing.share_current, name="share_current"),
    path("<int:team_id>/share/<month:month>/", sharing.share, name="share"),
    path("<int:team_id>/share/<month:month>/board-link/", sharing.board_link_new, name="board_link_new"),
    path(
        "<int:team_id>/share/<month:month>/board-link/<int:link_id>/revoke/",
        sharing.board_link_off,
        name="board_link_revoke",
    ),
    path("board/<uuid:key>/", sharing.board, name="board"),
    path("scorecard/<str:token>/<month:month>/", sharing.scorecard, name="scorecard"),
]

# The coach's console of the monthly rhythm, its nudges, and the company buyer's adoption view.
urlpatterns += [
    path("coach/rhythm/", coach_views.console, name="coach_console"),
    path("coach/rhythm/nudge/", coach_views.nudge, name="coach_nudge"),
    path("coach/leaders/<int:leader_id>/", leader_views.leader_page, name="coach_leader"),
    path("company/<int:pk>/adoption/", coach_views.adoption, name="company_adoption"),
]
