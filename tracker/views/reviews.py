"""Step 3 (monthly 1:1s with action items) and step 4 (sub-par flags, improvement plans)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from home.core.pdf import render_pdf

from .. import review_selectors, reviews
from ..attainment import add_months
from ..charts import sparkline
from ..review_forms import ActionItemFormSet, CheckInForm, HoldForm, OutcomeForm, PlanForm, ScheduleForm
from ..review_models import ActionItem, OneOnOne
from ..selectors import current_month
from .access import tracker_view


def _errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@tracker_view
def reviews_current(request, team):
    return redirect("tracker:reviews", team_id=team.pk, month=add_months(current_month(), -1))


@tracker_view
def reviews_month(request, team, month):
    data = review_selectors.team_month_reviews(team=team, month=month)
    return render(
        request,
        "tracker/part2/reviews.html",
        {
            "team": team,
            "month": month,
            "data": data,
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
        },
    )


@tracker_view
def one_on_one(request, team, month, member_id: int):
    agenda = review_selectors.one_on_one_agenda(team=team, member_id=member_id, month=month)
    member = agenda.member
    existing = agenda.one_on_one
    schedule_form = ScheduleForm(
        initial={
            "scheduled_at": timezone.localtime(existing.scheduled_at) if existing and existing.scheduled_at else None
        },
        prefix="schedule",
    )
    hold_form = HoldForm(
        initial={
            "held_at": timezone.localtime(existing.held_at if existing and existing.held_at else timezone.now()),
            "notes": existing.notes if existing else "",
            "discussed_gap": existing.discussed_gap if existing else bool(agenda.flag),
        },
        prefix="hold",
    )
    items_formset = ActionItemFormSet(prefix="items")
    action = request.POST.get("action")
    if request.method == "POST" and action == "schedule":
        schedule_form = ScheduleForm(request.POST, prefix="schedule")
        if schedule_form.is_valid():
            try:
                reviews.one_on_one_schedule(
                    team=team, member=member, month=month, scheduled_at=schedule_form.cleaned_data["scheduled_at"]
                )
                messages.success(request, f"1:1 with {member.name} scheduled.")
                return redirect("tracker:one_on_one", team_id=team.pk, month=month, member_id=member.pk)
            except ValidationError as exc:
                _errors(schedule_form, exc)
    elif request.method == "POST" and action == "hold":
        hold_form = HoldForm(request.POST, prefix="hold")
        items_formset = ActionItemFormSet(request.POST, prefix="items")
        if hold_form.is_valid() and items_formset.is_valid():
            new_items = [f.cleaned_data for f in items_formset if f.cleaned_data.get("text")]
            open_ids = {i.pk for i in agenda.open_items}
            try:
                done_ids = [int(v) for v in request.POST.getlist("done")]
            except ValueError:
                done_ids = [-1]
            try:
                if not set(done_ids) <= open_ids:
                    raise ValidationError("Some of those action items are not open items of this member.")
                reviews.one_on_one_hold(
                    team=team,
                    member=member,
                    month=month,
                    held_at=hold_form.cleaned_data["held_at"],
                    notes=hold_form.cleaned_data["notes"],
                    discussed_gap=hold_form.cleaned_data["discussed_gap"],
                    agenda=agenda.snapshot(),
                    new_items=new_items,
                    done_item_ids=done_ids,
                )
                messages.success(request, f"1:1 with {member.name} recorded.")
                return redirect("tracker:one_on_one", team_id=team.pk, month=month, member_id=member.pk)
            except ValidationError as exc:
                _errors(hold_form, exc)
    return render(
        request,
        "tracker/part2/one_on_one.html",
        {
            "team": team,
            "month": month,
            "member": member,
            "agenda": agenda,
            "trend_chart": sparkline(agenda.trend, label=f"{member.name}: overall attainment, six months"),
            "trend": list(zip(agenda.months, agenda.trend, strict=True)),
            "schedule_form": schedule_form,
            "hold_form": hold_form,
            "items_formset": items_formset,
        },
        status=400 if request.method == "POST" else 200,
    )


@tracker_view
def one_on_one_ics(request, team, one_on_one_id: int):
    one_on_one = get_object_or_404(
        OneOnOne.objects.select_related("member", "team__leader"), team=team, pk=one_on_one_id
    )
    if one_on_one.scheduled_at is None:
        messages.error(request, "Schedule the 1:1 first.")
        return redirect("tracker:one_on_one", team_id=team.pk, month=one_on_one.month, member_id=one_on_one.member_id)
    response = HttpResponse(reviews.one_on_one_ics(one_on_one=one_on_one), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{one_on_one.month:%Y-%m}.ics"'
    return response


@require_POST
@tracker_view
def one_on_one_invite(request, team, one_on_one_id: int):
    one_on_one = get_object_or_404(
        OneOnOne.objects.select_related("member", "team__leader"), team=team, pk=one_on_one_id
    )
    try:
        sent_to = reviews.one_on_one_invite_send(one_on_one=one_on_one)
        messages.success(request, f"Invitation emailed to {', '.join(sent_to)}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tracker:one_on_one", team_id=team.pk, month=one_on_one.month, member_id=one_on_one.member_id)


@require_POST
@tracker_view
def action_item_done(request, team, item_id: int):
    item = get_object_or_404(ActionItem, team=team, pk=item_id)
    done = request.POST.get("done") == "1"
    reviews.action_item_set_done(item=item, done=done)
    messages.success(request, f"“{item.text}” {'closed' if done else 'reopened'}.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("tracker:reviews_current", team_id=team.pk)


# --- improvement plans ----------------------------------------------------------------------


@tracker_view
def plan_new(request, team, month, member_id: int):
    member = get_object_or_404(team.members, pk=member_id)
    flag = reviews.flag_for(team=team, member=member, month=month)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = reviews.plan_open(
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
            _errors(form, exc)
    return render(
        request,
        "tracker/part2/plan_new.html",
        {"team": team, "month": month, "member": member, "flag": flag, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@tracker_view
def plan(request, team, plan_id: int):
    plan = review_selectors.plan_detail(team=team, plan_id=plan_id)
    check_in_form = CheckInForm(initial={"on": timezone.localdate()}, prefix="checkin")
    outcome_form = OutcomeForm(initial={"outcome_on": timezone.localdate()}, prefix="outcome")
    action = request.POST.get("action")
    if request.method == "POST" and action == "check_in":
        check_in_form = CheckInForm(request.POST, prefix="checkin")
        if check_in_form.is_valid():
            try:
                reviews.plan_check_in(plan=plan, **check_in_form.cleaned_data)
                messages.success(request, "Check-in recorded.")
                return redirect("tracker:plan", team_id=team.pk, plan_id=plan.pk)
            except ValidationError as exc:
                _errors(check_in_form, exc)
    elif request.method == "POST" and action == "outcome":
        outcome_form = OutcomeForm(request.POST, prefix="outcome")
        if outcome_form.is_valid():
            data = outcome_form.cleaned_data
            try:
                reviews.plan_outcome(
                    plan=plan,
                    outcome=data["outcome"],
                    on=data["outcome_on"],
                    note=data["note"],
                    new_deadline=data["new_deadline"],
                )
                messages.success(request, "Outcome recorded.")
                return redirect("tracker:plan", team_id=team.pk, plan_id=plan.pk)
            except ValidationError as exc:
                _errors(outcome_form, exc)
        plan.refresh_from_db()
    return render(
        request,
        "tracker/part2/plan.html",
        {"team": team, "plan": plan, "check_in_form": check_in_form, "outcome_form": outcome_form},
        status=400 if request.method == "POST" else 200,
    )


@tracker_view
def plan_pdf(request, team, plan_id: int):
    plan = review_selectors.plan_detail(team=team, plan_id=plan_id)
    pdf = render_pdf(template="tracker/pdf/improvement_plan.html", context={"team": team, "plan": plan})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="improvement-plan-{plan.member.name}-{plan.flagged_month:%Y-%m}.pdf"'
    )
    return response
