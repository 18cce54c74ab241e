"""Annual targets split by month (preview, then apply) and the team's seasonality profiles. Plain
forms: a preview is a POST that changes nothing; applying writes through the targets service."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from .. import services
from ..forms_annual import AnnualTargetsForm, SeasonalityProfileForm
from ..models import SeasonalityProfile
from ..rules.numbers import format_number
from ..selectors.annual_targets import annual_preview, year_first_months
from ..services.annual_targets import TargetsChangedSincePreview
from .access import posted_id, tracker_view
from .grid_html import text_fields_html
from .team_body import team_body


def _seen_from_post(post, preview_months, members) -> dict | None:
    """The targets the preview showed, carried in `s_<member>_<YYYY-MM>` fields; None when the
    post carries none or one is unreadable (then the apply shows a fresh preview)."""
    if post.get("previewed") != "1":
        return None
    seen = {}
    for member in members:
        for month in preview_months:
            text = post.get(f"s_{member.pk}_{month:%Y-%m}", "")
            if not text:
                continue
            try:
                seen[(member.pk, month)] = Decimal(text)
            except InvalidOperation:
                return None
    return seen


@tracker_view
def annual_targets(request, team):
    """GET: the empty form, the same for everyone who may see the team, rendered once per version
    of the team's data (tracker.views.team_body). POST: a preview, or the apply."""
    if request.method != "POST":
        today = timezone.localdate()
        body = team_body(
            request, team=team, name="annual_targets", day=today, template=BODY, context=lambda: _context(team, today)
        )
        return render(request, "tracker/annual_targets.html", {"team": team, "body": body})
    members = list(team.members.filter(active=True))
    form = _form(team, timezone.localdate(), members, request.POST or None)
    preview = None
    if form.is_valid():
        data = form.cleaned_data
        args = {
            "team": team,
            "metric": data["metric"],
            "first_month": data["first_month"],
            "annuals": data["annuals"],
            "profile": data["profile"],
            "replace": data["replace"],
        }
        preview = annual_preview(**args)
        if request.POST.get("action") == "apply":
            seen = _seen_from_post(request.POST, preview.months, members)
            if seen is None:
                messages.error(request, "Check the preview below, then apply.")
            else:
                try:
                    written = services.annual_targets_apply(
                        preview=annual_preview(**args, seen=seen), changed_by=request.user
                    )
                except TargetsChangedSincePreview:
                    messages.error(
                        request,
                        "Some of these targets changed since your preview, so nothing was saved. "
                        "Here is a new preview with the targets as they are now.",
                    )
                except ValidationError as exc:
                    for problem in exc.messages:
                        messages.error(request, problem)
                else:
                    messages.success(request, f"{written} monthly target(s) saved for {data['metric'].name}.")
                    return redirect("tracker:targets", team_id=team.pk, month=preview.months[0])
    context = {"team": team, "form": form, "member_inputs": _member_inputs(form), "preview": preview}
    body = render_to_string(BODY, context, request=request)
    return render(request, "tracker/annual_targets.html", {"team": team, "body": body})


BODY = "tracker/bodies/annual_targets.html"


def _form(team, today, members, data=None) -> AnnualTargetsForm:
    return AnnualTargetsForm(
        data,
        members=members,
        metrics=team.metrics.filter(archived=False),
        profiles=list(SeasonalityProfile.objects.filter(team=team)),
        years=year_first_months(team=team, today=today),
        number_format=team.number_format,
    )


def _member_inputs(form):
    return text_fields_html(field for _, field in form.member_fields())


def _context(team, today) -> dict:
    form = _form(team, today, list(team.members.filter(active=True)))
    return {"team": team, "form": form, "member_inputs": _member_inputs(form), "preview": None}


def _percent(team, text: str) -> str:
    return format_number(Decimal(text), number_format=team.number_format, places=None)


def _months(team, profile) -> list[tuple[str, str]]:
    return [
        (label, _percent(team, t))
        for label, t in zip(SeasonalityProfileForm.month_labels(), profile.percents, strict=True)
    ]


def _edit_form(team, profile) -> SeasonalityProfileForm:
    initial = {"name": profile.name} | {f"p{n}": _percent(team, t) for n, t in enumerate(profile.percents, start=1)}
    return SeasonalityProfileForm(initial=initial, number_format=team.number_format)


def _add_errors(form, exc: ValidationError) -> None:
    for key, problems in exc.message_dict.items():
        for problem in problems:
            form.add_error("name" if key == "name" else None, problem)


@tracker_view
def seasonality_profiles(request, team):
    """The team's profiles; a new one (POST), delete (POST delete=<id>), or edit (?edit=<id>, then
    POST profile=<id> with the version the form was opened at: a save over a newer version is
    refused, 409, showing the saved version beside the leader's)."""
    profiles = list(SeasonalityProfile.objects.filter(team=team))
    editing = {"profile": None, "form": None, "version": "", "saved": None, "saved_months": []}
    form = SeasonalityProfileForm(number_format=team.number_format)
    status = 200
    if request.method == "POST" and "delete" in request.POST:
        if services.seasonality_profile_delete(team=team, profile_id=posted_id(request.POST["delete"])):
            messages.success(request, "Profile deleted.")
        return redirect("tracker:seasonality_profiles", team_id=team.pk)
    if request.method == "POST" and "profile" in request.POST:
        profile_id = posted_id(request.POST["profile"])
        edit = SeasonalityProfileForm(request.POST, number_format=team.number_format)
        version = request.POST.get("version", "")
        if edit.is_valid():
            try:
                profile = services.seasonality_profile_edit(
                    team=team,
                    profile_id=profile_id,
                    name=edit.cleaned_data["name"],
                    percents=edit.cleaned_data["percents"],
                    version=version,
                )
            except services.SeasonalityProfileChanged as exc:
                edit.add_error(None, exc.messages[0])
                status = 409
                if exc.saved is not None:  # saving again now keeps the leader's version
                    version = services.seasonality_profile_version(exc.saved)
                    editing |= {"saved": exc.saved, "saved_months": _months(team, exc.saved)}
            except ValidationError as exc:
                _add_errors(edit, exc)
            else:
                messages.success(request, f"Profile '{profile.name}' saved.")
                return redirect("tracker:seasonality_profiles", team_id=team.pk)
        status = status if status != 200 else 400
        current = next((p for p in profiles if p.pk == profile_id), None)
        editing |= {"profile": current or editing["saved"], "form": edit, "version": version, "id": profile_id}
    elif request.method == "POST":
        form = SeasonalityProfileForm(request.POST, number_format=team.number_format)
        if form.is_valid():
            try:
                profile = services.seasonality_profile_save(
                    team=team, name=form.cleaned_data["name"], percents=form.cleaned_data["percents"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Profile '{profile.name}' saved.")
                return redirect("tracker:seasonality_profiles", team_id=team.pk)
    elif "edit" in request.GET:
        current = next((p for p in profiles if p.pk == posted_id(request.GET["edit"])), None)
        if current is not None:
            editing |= {
                "profile": current,
                "form": _edit_form(team, current),
                "version": services.seasonality_profile_version(current),
                "id": current.pk,
            }
    rows = [(p, _months(team, p)) for p in profiles]
    context = {"team": team, "form": form, "profiles": rows, "editing": editing}
    return render(request, "tracker/seasonality_profiles.html", context, status=status)
