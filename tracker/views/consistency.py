"""The leader's consistency page and the coach's overview."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.roles import is_coach

from .. import selectors, services
from ..charts import heat_map
from ..forms import ConsistencySettingsForm
from ..rules import STEPS
from ..selectors import settings_for
from .access import tracker_view


@tracker_view
def consistency_page(request, team):
    # A copy: a refused form has already written its values onto its instance, and the report below
    # reads the team's settings (a deadline of 10**30 days would overflow the dates).
    instance = copy.copy(settings_for([team])[team.pk])
    form = ConsistencySettingsForm(request.POST or None, instance=instance, prefix="settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.consistency_settings_update(team=team, **form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("tracker:consistency", team_id=team.pk)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    report = selectors.team_consistency(team=team)
    return render(
        request,
        "tracker/consistency/team.html",
        {
            "team": team,
            "report": report,
            "heat_map": heat_map(report),
            "months": list(reversed(report.months)),
            "steps": STEPS,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def coach_consistency(request):
    """The coach's overview of every leader's consistency: the coach role (accounts.roles), not is_staff."""
    if not is_coach(request.user):
        raise Http404
    data = selectors.coach_overview()
    return render(request, "tracker/consistency/coach.html", {"data": data, "steps": STEPS})


@tracker_view
def step_lesson(request, number: int):
    """From a tracker step back to the lesson that teaches it (found when followed, so the pages
    that link here spend no query on it)."""
    return redirect(selectors.lesson_urls_by_step().get(number, "/"))
