"""Step 4: opening an improvement plan from a sub-par flag, its check-ins, outcome and PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from home.core.pdf import render_pdf

from .. import selectors, services
from ..forms import CheckInForm, OutcomeForm, PlanForm
from .access import tracker_view
from .errors import add_service_errors


@tracker_view
def plan_new(request, team, month, member_id: int):
    member = get_object_or_404(team.members, pk=member_id)
    flag = selectors.flag_for(team=team, member=member, month=month)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_open(
                team=team,
                member=member,
                month=month,
                expectations=form.cleaned_data["expectations"],
                support=form.cleaned_data["support"],
                deadline=form.cleaned_data["deadline"],
                check_in_dates=form.check_in_dates(),
            )
            messages.success(
                request, f"Improvement plan opened for {member.name}, {plan.days_to_action} day(s) after the flag."
            )
            return redirect("tracker:plan", team_id=team.pk, plan_id=plan.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "tracker/plans/plan_new.html",
        {"team": team, "month": month, "member": member, "flag": flag, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@tracker_view
def plan(request, team, plan_id: int):
    plan = selectors.plan_detail(team=team, plan_id=plan_id)
    check_in_form = CheckInForm(initial={"on": timezone.localdate()}, prefix="checkin")
    outcome_form = OutcomeForm(initial={"outcome_on": timezone.localdate()}, prefix="outcome")
    action = request.POST.get("action")
    if request.method == "POST" and action == "check_in":
        check_in_form = CheckInForm(request.POST, prefix="checkin")
        if check_in_form.is_valid():
            try:
                services.plan_check_in(plan=plan, **check_in_form.cleaned_data)
                messages.success(request, "Check-in recorded.")
                return redirect("tracker:plan", team_id=team.pk, plan_id=plan.pk)
            except ValidationError as exc:
                add_service_errors(check_in_form, exc)
    elif request.method == "POST" and action == "outcome":
        outcome_form = OutcomeForm(request.POST, prefix="outcome")
        if outcome_form.is_valid():
            data = outcome_form.cleaned_data
            try:
                services.plan_outcome(
                    plan=plan,
                    outcome=data["outcome"],
                    on=data["outcome_on"],
                    note=data["note"],
                    new_deadline=data["new_deadline"],
                )
                messages.success(request, "Outcome recorded.")
                return redirect("tracker:plan", team_id=team.pk, plan_id=plan.pk)
            except ValidationError as exc:
                add_service_errors(outcome_form, exc)
        plan.refresh_from_db()
    return render(
        request,
        "tracker/plans/plan.html",
        {"team": team, "plan": plan, "check_in_form": check_in_form, "outcome_form": outcome_form},
        status=400 if request.method == "POST" else 200,
    )


@tracker_view
def plan_pdf(request, team, plan_id: int):
    plan = selectors.plan_detail(team=team, plan_id=plan_id)
    pdf = render_pdf(template="tracker/pdf/improvement_plan.html", context={"team": team, "plan": plan})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="improvement-plan-{plan.member.name}-{plan.flagged_month:%Y-%m}.pdf"'
    )
    return response
