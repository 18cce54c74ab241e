"""The coach's console (/tracker/coach/rhythm/), its nudges, and the buyer's adoption view.

The console and its nudges are the coach's (accounts.roles.is_coach): anyone else gets 404, as if
they did not exist. The adoption view is the purchase's buyer's only (404 for anyone else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from accounts.roles import is_coach
from lessons.nudges import NudgeError

from ..rules import STEPS, add_months, month_start
from ..views.access import MonthConverter
from .adoption import company_adoption
from .console import console_page, console_rows, sort_rows
from .export import console_csv
from .forms import ConsoleFilterForm, StepNudgeForm
from .nudges import step_nudges_send, step_words

PER_PAGE = 50


def _coach_only(request) -> None:
    if not is_coach(request.user):
        raise Http404


@login_required
def console(request):
    """Each consenting leader's five steps for one month, filtered, sorted, paged; CSV of all of it."""
    _coach_only(request)
    today = timezone.localdate()
    form = ConsoleFilterForm(request.GET or None, today=today)
    chosen = form.choice()
    filters = {k: v for k, v in request.GET.items() if k in form.fields and v}
    if request.GET.get("format") == "csv":  # every matching row, computed
        rows = console_rows(
            month=chosen["month"], program_id=chosen["program_id"], company_id=chosen["company_id"], today=today
        )
        if chosen["missed_first"]:
            rows = [row for row in rows if row.missed_first]
        rows = sort_rows(rows, chosen["sort"])
        response = HttpResponse(console_csv(rows, month=chosen["month"]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="monthly-rhythm-{chosen["month"]:%Y-%m}.csv"'
        return response
    listing = console_page(
        month=chosen["month"],
        sort=chosen["sort"],
        missed_first_only=chosen["missed_first"],
        page_number=request.GET.get("page"),
        per_page=PER_PAGE,
        program_id=chosen["program_id"],
        company_id=chosen["company_id"],
        today=today,
    )
    here = request.get_full_path()
    return render(
        request,
        "tracker/coach/console.html",
        {
            "form": form,
            "month": chosen["month"],
            "page": listing.page,
            "rows": listing.rows,
            "total": listing.total,
            "missed_first_count": listing.missed_first_count,
            "steps": STEPS,
            "csv_link": "?" + urlencode({**filters, "format": "csv"}),
            "page_link": "?" + urlencode(filters) + ("&" if filters else "") + "page=",
            "here": here,
        },
    )


def _month_from(value: str):
    try:
        return MonthConverter().to_python(value)
    except (ValueError, TypeError):
        return None


def _back(request) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back.startswith("/"):
        return back
    return reverse("tracker:coach_console")


@login_required
@require_POST
def nudge(request):
    """The ticked leaders (or one row's button) -> the words per step that slipped, prefilled and
    editable -> sent once per team, month and step, with how many went and how many were skipped."""
    _coach_only(request)
    today = timezone.localdate()
    month = _month_from(request.POST.get("month", ""))
    if month is None or not add_months(month_start(today), -12) < month <= month_start(today):
        raise Http404
    if request.POST.get("send"):  # the words page: each step's hidden list of teams
        posted = [v for key in request.POST if key.endswith("-teams") for v in request.POST.getlist(key)]
    else:  # the console: one row's button, or the ticked boxes
        posted = request.POST.getlist("only") if request.POST.get("only") else request.POST.getlist("team")
    wanted = [int(v) for v in posted if v.isascii() and v.isdigit()]
    rows = console_rows(month=month, team_ids=wanted[:500], today=today)  # consenting leaders only
    groups: dict[int, list] = {}
    for row in rows:
        if row.slipped is not None:
            groups.setdefault(row.slipped.step, []).append(row)
    back = _back(request)
    sending = bool(request.POST.get("send"))
    if not groups:
        messages.warning(
            request,
            "Nobody ticked still has a missed step this month; nothing was sent."
            if sending
            else "Tick at least one leader with a missed step to nudge.",
        )
        return redirect(back)
    forms = []
    for step, members in sorted(groups.items()):
        team_ids = [r.team.pk for r in members]
        if sending:
            form = StepNudgeForm(request.POST, prefix=f"step{step}", team_ids=team_ids)
        else:
            subject, body = step_words(step=step, month=month)
            initial = {"teams": team_ids, "subject": subject, "body": body}
            form = StepNudgeForm(initial=initial, prefix=f"step{step}", team_ids=team_ids)
        forms.append((step, members, form))
    if sending and all(form.is_valid() for _, _, form in forms):
        try:
            sent = skipped = 0
            with transaction.atomic():  # every step's nudges, or none
                for step, members, form in forms:
                    ticked = set(form.cleaned_data["teams"])
                    outcome = step_nudges_send(
                        coach=request.user,
                        rows=[r for r in members if r.team.pk in ticked],
                        step=step,
                        month=month,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                    )
                    sent, skipped = sent + outcome.sent, skipped + outcome.skipped
        except NudgeError as exc:
            messages.error(request, f"Nothing was sent: {exc}")
        else:
            messages.success(request, _outcome_words(sent, skipped))
            return redirect(back)
    count = sum(len(members) for _, members, _ in forms)
    context = {"month": month, "forms": forms, "steps": STEPS, "back": back, "count": count}
    return render(request, "tracker/coach/nudge.html", context, status=400 if sending else 200)


def _outcome_words(sent: int, skipped: int) -> str:
    already = f"{skipped} skipped: already nudged about that step this month."
    if not sent:
        return f"No nudge sent. {already}" if skipped else "No nudge sent."
    words = f"Nudge sent to {sent} leader{'s' if sent != 1 else ''}."
    return f"{words} {already}" if skipped else words


@login_required
def adoption(request, pk: int):
    """The buyer's view of their company's seats: who accepted, progress, and (shared only) the rhythm."""
    data = company_adoption(buyer=request.user, pk=pk)
    return render(request, "tracker/coach/adoption.html", {"data": data, "steps": STEPS})
