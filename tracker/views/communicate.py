from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .. import selectors, services
from ..models import Target
from ..rules import add_months, first_working_day
from .access import tracker_view


@tracker_view
def communicate(request, team, month):
    if request.method == "POST":
        try:
            communication = services.targets_communicate(
                team=team, month=month, sent_by=request.user, everyone=request.POST.get("send") == "everyone"
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            late = (
                " They went out after the first working day, so they are marked late." if communication.is_late else ""
            )
            count = len(communication.sent_to)
            messages.success(
                request, f"Targets for {month:%B %Y} sent to {count} member{'s' if count != 1 else ''}.{late}"
            )
        return redirect("tracker:communicate", team_id=team.pk, month=month)
    communication, acks = selectors.communication_status(team=team, month=month)
    with_targets = set(Target.objects.filter(member__team=team, month=month).values_list("member_id", flat=True))
    members = [m for m in team.members.all() if m.active]
    return render(
        request,
        "tracker/communicate.html",
        {
            "team": team,
            "month": month,
            "communication": communication,
            "acks": acks,
            "acknowledged": sum(1 for a in acks if a.acknowledged_sent_version and not a.changed_since_sent),
            "changed": [a.member.name for a in acks if a.changed_since_sent],
            # Members who have not acknowledged: "remind only those" (tracker.views.rhythm) when any.
            "waiting": sum(1 for a in acks if a.acknowledged_at is None),
            "no_email": [m for m in members if not m.email and m.pk in with_targets],
            "no_targets": [m for m in members if m.pk not in with_targets],
            "ready": [m for m in members if m.email and m.pk in with_targets],
            "deadline": first_working_day(month),
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
        },
    )


def acknowledge(request, token: str):
    """Public: a member opens the link in their targets email and confirms with one button."""
    ack = selectors.ack_from_token(token)
    if ack is None:
        return render(request, "tracker/acknowledge_invalid.html", status=404)
    if request.method == "POST":
        services.target_acknowledge(ack=ack)
        return redirect("tracker:acknowledge", token=token)
    context = selectors.target_sheet_context(ack)
    context["ack"] = ack
    return render(request, "tracker/acknowledge.html", context)
