"""Step 3: the month's 1:1s, each member's 1:1 with its agenda, invitations and action items."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from home.core.caching.csrf_slot import slot

from .. import selectors, services
from ..charts import sparkline
from ..forms import ActionItemFormSet, HoldForm, ScheduleForm
from ..models import ActionItem, OneOnOne
from ..rules import add_months, as_percent
from .access import tracker_view
from .errors import add_service_errors
from .team_body import kept_team_body, team_body


@tracker_view
def reviews_current(request, team):
    return redirect("tracker:reviews", team_id=team.pk, month=add_months(selectors.current_month(), -1))


@tracker_view
def reviews_month(request, team, month):
    """The month's 1:1s and flags, rendered once per version of the team's data and day ("overdue")."""

    def context() -> dict:
        return {
            "team": team,
            "month": month,
            "data": selectors.team_month_reviews(team=team, month=month),
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
        }

    body = team_body(
        request,
        team=team,
        name=f"reviews:{month:%Y-%m}",
        day=timezone.localdate(),
        template="tracker/bodies/one_on_ones_month.html",
        context=context,
    )
    return render(request, "tracker/one_on_ones/month.html", {"team": team, "month": month, "body": body})


@functools.cache
def _empty_items() -> str:
    """The unposted new-action-item rows: the same markup for every 1:1 page (no data, no request
    in it), rendered once per process instead of 3 forms x 3 widgets per request."""
    return render_to_string(
        "tracker/one_on_ones/action_items.html", {"items_formset": ActionItemFormSet(prefix="items")}
    )


BODY = "tracker/one_on_ones/one_on_one_body.html"


@tracker_view
def one_on_one(request, team, month, member_id: int):
    if request.method != "POST":
        return _stored_one_on_one(request, team, month, member_id)
    agenda = selectors.one_on_one_agenda(team=team, member_id=member_id, month=month)
    member = agenda.member
    schedule_form, hold_form = _initial_forms(agenda, now=timezone.localtime(timezone.now()))
    items_formset = ActionItemFormSet(prefix="items")
    conflict = None
    action = request.POST.get("action")
    if action == "schedule":
        schedule_form = ScheduleForm(request.POST, prefix="schedule")
        if schedule_form.is_valid():
            try:
                services.one_on_one_schedule(
                    team=team, member=member, month=month, scheduled_at=schedule_form.cleaned_data["scheduled_at"]
                )
                messages.success(request, f"1:1 with {member.name} scheduled.")
                return redirect("tracker:one_on_one", team_id=team.pk, month=month, member_id=member.pk)
            except ValidationError as exc:
                add_service_errors(schedule_form, exc)
    elif action == "hold":
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
                services.one_on_one_hold(
                    team=team,
                    member=member,
                    month=month,
                    held_at=hold_form.cleaned_data["held_at"],
                    notes=hold_form.cleaned_data["notes"],
                    discussed_gap=hold_form.cleaned_data["discussed_gap"],
                    agenda=agenda.snapshot(),
                    new_items=new_items,
                    done_item_ids=done_ids,
                    version=hold_form.cleaned_data["version"],
                )
                messages.success(request, f"1:1 with {member.name} recorded.")
                return redirect("tracker:one_on_one", team_id=team.pk, month=month, member_id=member.pk)
            except services.OneOnOneConflict as exc:
                conflict = exc.saved
                data = request.POST.copy()
                data["hold-version"] = str(conflict.version)  # saving again now takes the leader's text
                hold_form = HoldForm(data, prefix="hold")
                hold_form.is_valid()
                hold_form.add_error(None, exc.messages[0])
            except ValidationError as exc:
                add_service_errors(hold_form, exc)
    context = _page_context(team, month, agenda, schedule_form, hold_form, items_formset, conflict)
    context["page_path"] = request.path
    body = render_to_string(BODY, context, request=request)
    return _render_page(request, team, month, member.name, body, status=409 if conflict else 400)


def _stored_one_on_one(request, team, month, member_id: int):
    """A GET: the page is the same for everyone who may see the team until its data changes (or the
    day does: "overdue"), so it is a team body (views/team_body.py) with two slots filled in per
    request: the CSRF token and, for a 1:1 not held yet, "held at" = now."""

    def context() -> dict:
        agenda = selectors.one_on_one_agenda(team=team, member_id=member_id, month=month)
        schedule_form, hold_form = _initial_forms(agenda, now=slot("now"))
        values = _page_context(team, month, agenda, schedule_form, hold_form, ActionItemFormSet(prefix="items"), None)
        values.update(
            page_path=reverse("tracker:one_on_one", args=[team.pk, month, member_id]),
            kept={"member_name": agenda.member.name},
        )
        return values

    body, kept = kept_team_body(
        request,
        team=team,
        name=f"one-on-one:{int(member_id)}:{month:%Y-%m}",
        day=timezone.localdate(),
        template=BODY,
        context=context,
        slots={"now": f"{timezone.localtime(timezone.now()):%Y-%m-%dT%H:%M}"},
    )
    return _render_page(request, team, month, kept["member_name"], body, status=200)


def _initial_forms(agenda, *, now) -> tuple[ScheduleForm, HoldForm]:
    """The schedule and record forms as the stored 1:1 fills them ("held at" defaults to `now`)."""
    existing = agenda.one_on_one
    schedule_form = ScheduleForm(
        initial={
            "scheduled_at": timezone.localtime(existing.scheduled_at) if existing and existing.scheduled_at else None
        },
        prefix="schedule",
    )
    hold_form = HoldForm(
        initial={
            "held_at": timezone.localtime(existing.held_at) if existing and existing.held_at else now,
            "notes": existing.notes if existing else "",
            "discussed_gap": existing.discussed_gap if existing else False,  # never pre-ticked: the leader says so
            "version": existing.version if existing else 0,
        },
        prefix="hold",
    )
    return schedule_form, hold_form


def _page_context(team, month, agenda, schedule_form, hold_form, items_formset, conflict) -> dict:
    member = agenda.member
    return {
        "team": team,
        "month": month,
        "member": member,
        "agenda": agenda,
        "trend_chart": sparkline(
            agenda.trend, label=f"{member.name}: overall attainment, six months", number_format=team.number_format
        ),
        # the same rounding as every other percentage (rules.as_percent), not the template's own
        "trend": [(m, as_percent(v)) for m, v in zip(agenda.months, agenda.trend, strict=True)],
        "schedule_form": schedule_form,
        "hold_form": hold_form,
        "items_formset": items_formset,
        "empty_items": None if items_formset.is_bound else _empty_items(),
        "conflict": conflict,
    }


def _render_page(request, team, month, member_name: str, body: str, *, status: int):
    return render(
        request,
        "tracker/one_on_ones/one_on_one.html",
        {"team": team, "month": month, "member_name": member_name, "body": mark_safe(body)},  # noqa: S308 (our template's output)
        status=status,
    )


@tracker_view
def one_on_one_ics(request, team, one_on_one_id: int):
    one_on_one = get_object_or_404(
        OneOnOne.objects.select_related("member", "team__leader"), team=team, pk=one_on_one_id
    )
    if one_on_one.scheduled_at is None:
        messages.error(request, "Schedule the 1:1 first.")
        return redirect("tracker:one_on_one", team_id=team.pk, month=one_on_one.month, member_id=one_on_one.member_id)
    response = HttpResponse(services.one_on_one_ics(one_on_one=one_on_one), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{one_on_one.month:%Y-%m}.ics"'
    return response


@require_POST
@tracker_view
def one_on_one_invite(request, team, one_on_one_id: int):
    one_on_one = get_object_or_404(
        OneOnOne.objects.select_related("member", "team__leader"), team=team, pk=one_on_one_id
    )
    try:
        sent_to = services.one_on_one_invite_send(one_on_one=one_on_one)
        messages.success(request, f"Invitation emailed to {', '.join(sent_to)}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tracker:one_on_one", team_id=team.pk, month=one_on_one.month, member_id=one_on_one.member_id)


@tracker_view
def one_on_one_cancel(request, team, one_on_one_id: int):
    """GET asks first (what the member gets, that notes are kept); POST cancels and emails the
    METHOD:CANCEL. A 1:1 of a team the user does not lead or co-lead is a 404 (tracker_view)."""
    one_on_one = get_object_or_404(
        OneOnOne.objects.select_related("member", "team__leader"), team=team, pk=one_on_one_id
    )
    back = redirect("tracker:one_on_one", team_id=team.pk, month=one_on_one.month, member_id=one_on_one.member_id)
    if one_on_one.scheduled_at is None or one_on_one.cancelled_at is not None:
        messages.info(request, "This 1:1 is not scheduled, so there is nothing to cancel.")
        return back
    if request.method == "POST":
        try:
            sent_to = services.one_on_one_cancel(one_on_one=one_on_one)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return back
        messages.success(
            request,
            f"1:1 with {one_on_one.member.name} cancelled; the cancellation was emailed to {', '.join(sent_to)}. "
            "Notes and action items are kept.",
        )
        return back
    return render(request, "tracker/one_on_ones/cancel.html", {"team": team, "one_on_one": one_on_one})


@require_POST
@tracker_view
def one_on_ones_from_slots(request, team):
    """Book this month's 1:1s on each member's recurring slot and email all the invitations."""
    booked = services.one_on_ones_from_slots(team=team)
    if booked:
        messages.success(request, f"{len(booked)} 1:1{'s' if len(booked) != 1 else ''} booked and invitations emailed.")
    else:
        messages.info(request, "Nothing to book: set a weekday and time on members, or their 1:1s are booked.")
    return redirect("tracker:reviews_current", team_id=team.pk)


@require_POST
@tracker_view
def action_item_done(request, team, item_id: int):
    item = get_object_or_404(ActionItem, team=team, pk=item_id)
    done = request.POST.get("done") == "1"
    services.action_item_set_done(item=item, done=done)
    messages.success(request, f"“{item.text}” {'closed' if done else 'reopened'}.")
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would read "dashboard" as a URL name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("tracker:reviews_current", team_id=team.pk)
