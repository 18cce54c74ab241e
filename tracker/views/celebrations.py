"""Step 5: the celebrations page, recording, notes and sending them to the member."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import CelebrationForm, CelebrationNoteForm
from ..models import Celebration
from ..rules import add_months
from ..selectors import current_month
from .access import posted_id, tracker_view


@tracker_view
def celebrations_current(request, team):
    return redirect("tracker:celebrations", team_id=team.pk, month=add_months(current_month(), -1))


@tracker_view
def celebrations(request, team, month):
    action = request.POST.get("action")
    form = CelebrationForm(members=[], prefix="own")
    status = 200
    if request.method == "POST" and action == "record":
        member = get_object_or_404(team.members, pk=posted_id(request.POST.get("member")))
        metric = None
        if request.POST.get("metric"):
            metric = get_object_or_404(team.metrics, pk=posted_id(request.POST["metric"]))
        kind = request.POST.get("kind", "")
        if kind not in Celebration.Kind.values:
            kind = Celebration.Kind.CUSTOM
        try:
            services.celebration_record(
                team=team, member=member, month=month, kind=kind, metric=metric, title=request.POST.get("title", "")
            )
            messages.success(request, f"Recorded: {member.name}. Add a note and send it.")
            return redirect("tracker:celebrations", team_id=team.pk, month=month)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    page = selectors.celebrations_page(team=team, month=month)
    if request.method == "POST" and action == "custom":
        form = CelebrationForm(request.POST, members=page.members, prefix="own")
        if form.is_valid():
            member = next(m for m in page.members if m.pk == form.cleaned_data["member"])
            try:
                services.celebration_record(
                    team=team,
                    member=member,
                    month=month,
                    kind=Celebration.Kind.CUSTOM,
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, f"Celebration for {member.name} recorded.")
                return redirect("tracker:celebrations", team_id=team.pk, month=month)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
        status = 400
    else:
        form = CelebrationForm(members=page.members, prefix="own")
    return render(
        request,
        "tracker/celebrations/month.html",
        {
            "team": team,
            "month": month,
            "page": page,
            "form": form,
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
        },
        status=status,
    )


@require_POST
@tracker_view
def celebration_note(request, team, celebration_id: int):
    celebration = get_object_or_404(
        Celebration.objects.select_related("member", "team__leader"), team=team, pk=celebration_id
    )
    form = CelebrationNoteForm(request.POST, instance=Celebration.objects.get(pk=celebration.pk))
    if form.is_valid():
        services.celebration_note_update(celebration=celebration, note=form.cleaned_data["note"])
        if request.POST.get("send"):
            try:
                services.celebration_send(celebration=celebration, sent_by=request.user)
                messages.success(request, f"Note emailed to {celebration.member.name}.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Note saved.")
    return redirect("tracker:celebrations", team_id=team.pk, month=celebration.month)
