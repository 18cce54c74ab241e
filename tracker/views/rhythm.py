"""The leader's monthly rhythm: reminder settings, "remind only those" who have not acknowledged
their targets, and the one-click unsubscribe link of each reminder email (no login)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ..models import ReminderKind, TargetCommunication, TeamRhythm
from ..rhythm.calendar import country_choices
from ..rhythm.links import unsubscribe_read
from ..services.rhythm import acknowledgement_reminders_send, rhythm_kind_turn_off, rhythm_settings_update
from .access import tracker_view
from .team_body import team_body


@tracker_view
def rhythm_settings(request, team):
    rhythm = TeamRhythm.objects.filter(team=team).first() or TeamRhythm(team=team)
    if request.method == "POST":
        if request.POST.get("form") != "rhythm":  # a partial post never turns every reminder off
            messages.error(request, "Nothing was saved: the form was incomplete. Please try again.")
            return redirect("tracker:rhythm_settings", team_id=team.pk)
        try:
            rhythm_settings_update(
                team=team,
                country=request.POST.get("country", rhythm.country),
                kinds_on=request.POST.getlist("kinds"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Reminder settings saved.")
        return redirect("tracker:rhythm_settings", team_id=team.pk)
    kinds = [(value, label, rhythm.is_on(value)) for value, label in ReminderKind.choices]
    return render(
        request,
        "tracker/rhythm/settings.html",
        {
            "team": team,
            "rhythm": rhythm,
            "kinds": kinds,
            "countries": country_choices(),
            "time_zone": team.leader.time_zone,
            "send_hour": settings.RHYTHM_SEND_HOUR,
        },
    )


@tracker_view
def rhythm_waiting(request, team, month):
    """Who has not acknowledged the month's targets, and one button that reminds only them."""
    if request.method == "POST":
        communication = TargetCommunication.objects.filter(team=team, month=month).first()
        if communication is None:
            raise Http404("No targets were sent for that month.")
        count = acknowledgement_reminders_send(communication=communication)
        if count:
            messages.success(request, f"Reminder sent to {count} member{'s' if count != 1 else ''} still waiting.")
        else:
            messages.info(request, "Nobody to remind: everyone has confirmed, or was reminded in the last 12 hours.")
        return redirect("tracker:rhythm_waiting", team_id=team.pk, month=month)
    body = team_body(
        request,
        team=team,
        name=f"waiting:{month:%Y-%m}",
        day=timezone.localdate(),
        template="tracker/bodies/waiting.html",
        context=lambda: _waiting_context(team, month),
    )
    return render(request, "tracker/rhythm/waiting.html", {"team": team, "body": body})


def _waiting_context(team, month) -> dict:
    communication = TargetCommunication.objects.filter(team=team, month=month).first()
    acks = []
    if communication:
        acks = list(
            communication.acknowledgements.filter(member__active=True)
            .select_related("member")
            .prefetch_related("reminders")
            .order_by("member__name")
        )
    waiting = [a for a in acks if a.acknowledged_at is None]
    return {"team": team, "month": month, "communication": communication, "acks": acks, "waiting": waiting}


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session or token
def rhythm_unsubscribe(request, token: str):
    """Public: a GET shows one button; a POST (the button, or the mail client's one-click) turns the
    reminder kind off for that team. The signed token is the only credential."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "tracker/rhythm/unsubscribe.html", {"invalid": True}, status=404)
    team_id, kind = found
    label = ReminderKind(kind).label
    if request.method == "POST":
        rhythm = rhythm_kind_turn_off(team_id=team_id, kind=kind)
        if rhythm is None:
            return render(request, "tracker/rhythm/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "tracker/rhythm/unsubscribe.html", {"done": True, "label": label, "team": rhythm.team})
    return render(request, "tracker/rhythm/unsubscribe.html", {"label": label, "token": token})
