from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from home.core.signed_links import TokenError

from .. import forms, selectors, services
from ..charts import line_chart, sparkline
from ..forms import CoLeaderForm, MemberForm, MetricForm, TeamSettingsForm
from ..models import CoLeaderInvitation
from ..rules import add_months
from ..services.team_templates import team_create_from_template
from .access import posted_id, tracker_view
from .cached import team_fragment


@tracker_view
def team_list(request):
    form = forms.NewTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = team_create_from_template(
            leader=request.user,
            name=form.cleaned_data["name"],
            show_full_rankings=form.cleaned_data["show_full_rankings"],
            template=form.cleaned_data["template"],
        )
        count = team.metrics.count()
        messages.success(
            request, f"{team.name} is ready with {count} metric{'s' if count != 1 else ''}. Add your members next."
        )
        return redirect("tracker:members", team_id=team.pk)
    teams = list(selectors.teams_for_user(request.user).select_related("leader"))
    return render(request, "tracker/team_list.html", {"teams": teams, "form": form})


@tracker_view
def step(request, number: int):
    """Links from the lessons: step 1 -> targets, 2 -> rankings, 3-5 -> the team dashboard."""
    team = selectors.teams_for_user(request.user).order_by("pk").first()
    if team is None:
        return redirect("tracker:team_list")
    month = selectors.current_month()
    if number == 1:
        return redirect("tracker:targets", team_id=team.pk, month=month)
    if number == 2:
        return redirect("tracker:rankings", team_id=team.pk, month=add_months(month, -1))
    if number == 3:
        return redirect("tracker:reviews", team_id=team.pk, month=add_months(month, -1))
    if number == 4:
        return redirect(reverse("tracker:reviews", args=[team.pk, add_months(month, -1)]) + "#flags-heading")
    if number == 5:
        return redirect("tracker:celebrations", team_id=team.pk, month=add_months(month, -1))
    return redirect("tracker:team", team_id=team.pk)


@tracker_view
def team_dashboard(request, team):
    today = timezone.localdate()
    body = team_fragment(team=team, name="dashboard", day=today, build=lambda: _dashboard_body(team, today))
    return render(request, "tracker/team.html", {"team": team, "body": body})


def _dashboard_body(team, today) -> str:
    """The dashboard below the team's nav: the same for everyone who may see the team."""
    data = selectors.team_dashboard(team=team, today=today)
    board = data.board
    chart = line_chart(
        months=board.months,
        series=[("Team", board.team_history)],
        title=f"{team.name}: attainment by month",
        number_format=team.number_format,
    )
    rows = [
        (row, sparkline(row.history[-6:], label=row.member.name, number_format=team.number_format))
        for row in board.rows
    ]
    return render_to_string(
        "tracker/includes/dashboard_body.html",
        {
            "team": team,
            "data": data,
            "board": board,
            "chart": chart,
            "rows": rows,
            "next_month": add_months(data.month, 1),
            "today": today,
        },
    )


@tracker_view
def team_settings(request, team):
    form = TeamSettingsForm(request.POST or None, instance=team, prefix="team")
    coleader_form = CoLeaderForm(prefix="co")
    is_owner = request.user.pk == team.leader_id
    if request.method == "POST" and "co-email" in request.POST and is_owner:
        coleader_form = CoLeaderForm(request.POST, prefix="co")
        if coleader_form.is_valid():
            email = coleader_form.cleaned_data["email"]
            try:
                services.coleader_invite(team=team, email=email)
                # The same words whether or not an account uses the address.
                messages.success(
                    request, f"Invitation sent to {email}. They accept it from the email, logged in with that address."
                )
                return redirect("tracker:team_settings", team_id=team.pk)
            except ValidationError as exc:
                coleader_form.add_error("email", exc.message_dict.get("email", exc.messages))
        form = TeamSettingsForm(instance=team, prefix="team")
    elif request.method == "POST" and "remove" in request.POST:
        if request.user.pk == team.leader_id and posted_id(request.POST["remove"]):
            services.coleader_remove(team=team, user_id=posted_id(request.POST["remove"]))
            messages.success(request, "Co-leader removed.")
        return redirect("tracker:team_settings", team_id=team.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.team_update(
            team=team,
            name=data["name"],
            show_full_rankings=data["show_full_rankings"],
            number_format=data["number_format"] or None,
            currency=data["currency"] or None,
            paper_size=data["paper_size"] or None,
            **({"consistency_start": data["consistency_start"]} if "team-consistency_start" in request.POST else {}),
        )
        messages.success(request, "Team saved.")
        return redirect("tracker:team", team_id=team.pk)
    co_leaders = list(team.co_leaders.select_related("user"))
    invitations = services.coleader_invitations_pending(team=team) if is_owner else []
    return render(
        request,
        "tracker/team_settings.html",
        {
            "team": team,
            "form": form,
            "coleader_form": coleader_form,
            "co_leaders": co_leaders,
            "invitations": invitations,
            "is_owner": is_owner,
        },
    )


@tracker_view
def coleader_invitation_withdraw(request, team, invitation_id: int):
    """The owner withdraws a pending invitation: a page asking to confirm, then a POST. Anyone else
    (a co-leader, another leader) and an invitation already accepted or withdrawn: 404."""
    if request.user.pk != team.leader_id:
        raise Http404
    try:
        invitation = services.coleader_invitation_pending(team=team, invitation_id=invitation_id)
        if request.method == "POST":
            services.coleader_invitation_withdraw(team=team, invitation_id=invitation_id)
            messages.success(request, f"Invitation to {invitation.email} withdrawn. Its link no longer works.")
            return redirect("tracker:team_settings", team_id=team.pk)
    except CoLeaderInvitation.DoesNotExist:
        raise Http404 from None
    return render(request, "tracker/coleader_withdraw.html", {"team": team, "invitation": invitation})


@login_required
def coleader_accept(request, token: str):
    """The invitee's page: who invites them to which team, and an accept button (POST). Needs no
    tracker access of their own: co-leading runs on the owner's."""
    try:
        invitation = services.coleader_invitation_for_token(token)
        if request.method == "POST":
            coleader = services.coleader_accept(token=token, user=request.user)
            messages.success(request, f"You now co-lead {coleader.team.name}.")
            return redirect("tracker:team", team_id=coleader.team_id)
    except TokenError as exc:
        return render(request, "tracker/coleader_accept.html", {"error": exc.message}, status=400)
    return render(request, "tracker/coleader_accept.html", {"invitation": invitation})


@tracker_view
def members(request, team):
    form = MemberForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = services.member_create(
            team=team,
            name=data["name"],
            email=data["email"],
            role=data["role"],
            start_date=data["start_date"],
            one_on_one_weekday=data.get("one_on_one_weekday"),
            one_on_one_time=data.get("one_on_one_time"),
        )
        messages.success(request, f"{member.name} added.")
        return redirect("tracker:members", team_id=team.pk)
    return render(
        request, "tracker/member_list.html", {"team": team, "members": list(team.members.all()), "form": form}
    )


@tracker_view
def member_edit(request, team, member_id: int):
    member = get_object_or_404(team.members, pk=member_id)
    slot = {"one_on_one_weekday": member.one_on_one_weekday, "one_on_one_time": member.one_on_one_time}
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.update(
            {name: kept for name, kept in slot.items() if name not in request.POST}
        )  # a post without the slot keeps it
        services.member_update(member=member, **data)
        messages.success(request, f"{member.name} saved.")
        return redirect("tracker:members", team_id=team.pk)
    month = selectors.current_month()
    board = selectors.team_board(team=team, month=month, history=selectors.TREND_MONTHS)
    row = next((r for r in board.rows if r.member.pk == member.pk), None)
    chart = None
    if row is not None:
        chart = line_chart(
            months=board.months,
            series=[(member.name, row.history), ("Team", board.team_history)],
            title=f"{member.name}: attainment by month",
            number_format=team.number_format,
        )
    return render(
        request, "tracker/member.html", {"team": team, "member": member, "form": form, "chart": chart, "row": row}
    )


@tracker_view
@require_POST
def member_active(request, team, member_id: int):
    member = get_object_or_404(team.members, pk=member_id)
    active = request.POST.get("active") == "1"
    services.member_set_active(member=member, active=active)
    messages.success(request, f"{member.name} {'reactivated' if active else 'deactivated; their history is kept'}.")
    return redirect("tracker:members", team_id=team.pk)


@tracker_view
def metrics(request, team):
    form = MetricForm(request.POST or None, initial={"weight": 1, "higher_is_better": True})
    form.instance.team = team  # so the form checks the name against this team's metrics
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.metric_create(
            team=team,
            name=data["name"],
            unit=data["unit"],
            higher_is_better=data["higher_is_better"],
            weight=data["weight"],
        )
        messages.success(request, "Metric added.")
        return redirect("tracker:metrics", team_id=team.pk)
    return render(
        request, "tracker/metric_list.html", {"team": team, "metrics": list(team.metrics.all()), "form": form}
    )


@tracker_view
def metric_edit(request, team, metric_id: int):
    metric = get_object_or_404(team.metrics, pk=metric_id)
    form = MetricForm(request.POST or None, instance=metric)
    if request.method == "POST" and form.is_valid():
        services.metric_update(metric=metric, **form.cleaned_data)
        messages.success(request, f"{metric.name} saved.")
        return redirect("tracker:metrics", team_id=team.pk)
    return render(request, "tracker/metric.html", {"team": team, "metric": metric, "form": form})


@tracker_view
@require_POST
def metric_move(request, team, metric_id: int):
    metric = get_object_or_404(team.metrics, pk=metric_id)
    services.metric_move(metric=metric, direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect("tracker:metrics", team_id=team.pk)
