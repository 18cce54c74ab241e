"""The coach's webinar view in the Wagtail admin: counts per session, the funnel per webinar,
registrations with CSV export, "mark attended" (one or many), the meeting's attendance import
(upload, preview, import) and "resend confirmation"."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks

from accounts.roles import CoachMenuItem, is_coach
from home.core.spreadsheet import safe_cell, safe_writer

from .attendance_csv import attendance_csv_read
from .forms import AttendanceUploadForm
from .models import WebinarRegistration
from .selectors import left_early_threshold, webinar_coach_overview, webinar_session_registrations
from .services import (
    webinar_attendance_import,
    webinar_attendance_mark,
    webinar_confirmation_resend,
    webinar_registration_mark_attended,
)


def _staff_only(request) -> None:
    if not is_coach(request.user):
        raise PermissionDenied


def overview(request):
    _staff_only(request)
    return TemplateResponse(
        request,
        "webinars/admin_overview.html",
        {"webinars": webinar_coach_overview(), "header_title": "Webinars"},
    )


def session_detail(request, session_id: int):
    _staff_only(request)
    session, registrations = webinar_session_registrations(session_id=session_id)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="webinar-session-{session.pk}.csv"'
        writer = safe_writer(response)
        zone = timezone.get_current_timezone_name()  # the coach's, as on the page; named in the header
        writer.writerow(
            ["name", "email", "company", "role", "team size", "status"]
            + [f"registered ({zone})", f"attended ({zone})", "question"]
        )
        for r in registrations:
            writer.writerow(
                [
                    safe_cell(r.name),
                    safe_cell(r.email),
                    safe_cell(r.company),
                    safe_cell(r.role),
                    r.team_size,
                    r.status,
                    timezone.localtime(r.created_at).isoformat(timespec="seconds"),
                    timezone.localtime(r.attended_at).isoformat(timespec="seconds") if r.attended_at else "",
                    safe_cell(r.question),
                ]
            )
        return response
    return TemplateResponse(
        request,
        "webinars/admin_session.html",
        {"session": session, "registrations": registrations, "header_title": str(session)},
    )


@require_POST
def registration_action(request, registration_id: int):
    _staff_only(request)
    registration = get_object_or_404(WebinarRegistration, pk=registration_id)
    action = request.POST.get("action")
    if action == "attended":
        webinar_registration_mark_attended(registration=registration, attended=True)
        messages.success(request, f"{registration.name} marked as attended.")
    elif action == "not_attended":
        webinar_registration_mark_attended(registration=registration, attended=False)
        messages.success(request, f"Attendance cleared for {registration.name}.")
    elif action == "resend":
        webinar_confirmation_resend(registration=registration)
        messages.success(request, f"Confirmation sent again to {registration.email}.")
    else:
        messages.error(request, "Unknown action; nothing changed.")
    return redirect("webinar_admin_session", session_id=registration.session_id)


ATTENDANCE_SALT = "webinars.attendance-import"
ATTENDANCE_PREVIEW_MAX_AGE = 3600  # seconds a previewed file may wait for "Import"


@require_POST
def attendance_bulk(request, session_id: int):
    """Tick several registrations and mark them attended (or clear them) in one go."""
    _staff_only(request)
    ids = [int(value) for value in request.POST.getlist("registration") if value.isdigit()]
    attended = request.POST.get("action") != "not_attended"
    if not ids:
        messages.error(request, "Tick at least one person first; nothing changed.")
    else:
        changed = webinar_attendance_mark(session_id=session_id, registration_ids=ids, attended=attended)
        verb = "marked as attended" if attended else "cleared"
        messages.success(request, f"{changed} {'person' if changed == 1 else 'people'} {verb}.")
    return redirect("webinar_admin_session", session_id=session_id)


def attendance_import(request, session_id: int):
    """Upload the meeting's participant export, see what it would change, then import it."""
    _staff_only(request)
    session, registrations = webinar_session_registrations(session_id=session_id)
    context = {"session": session, "header_title": f"Import attendance · {session}", "form": AttendanceUploadForm()}
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=ATTENDANCE_SALT, max_age=ATTENDANCE_PREVIEW_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, "That preview has expired or was changed. Upload the file again.")
            return redirect("webinar_admin_attendance", session_id=session_id)
        if payload.get("session") != session.pk:
            raise PermissionDenied
        result = webinar_attendance_import(session_id=session.pk, rows=[tuple(row) for row in payload["rows"]])
        messages.success(
            request,
            f"Attendance imported: {result.matched} registrations matched, {result.newly_attended} newly marked "
            f"attended, {len(result.not_registered)} participants without a registration.",
        )
        return redirect("webinar_admin_session", session_id=session_id)
    if request.method == "POST":
        form = AttendanceUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                parsed = attendance_csv_read(form.cleaned_data["file"].read())
            except ValidationError as exc:
                context["errors"] = exc.messages
            else:
                by_email = {r.email.lower(): r for r in registrations if r.status != r.Status.CANCELLED}
                context.update(
                    parsed=parsed,
                    preview=[(row, by_email.get(row.email)) for row in parsed.rows],
                    payload=signing.dumps(
                        {"session": session.pk, "rows": [[r.email, r.minutes] for r in parsed.rows]},
                        salt=ATTENDANCE_SALT,
                        compress=True,
                    ),
                    left_early_below=left_early_threshold(session),
                )
    return TemplateResponse(request, "webinars/admin_attendance_import.html", context)


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("webinars/session/<int:session_id>/attendance/", attendance_import, name="webinar_admin_attendance"),
        path("webinars/session/<int:session_id>/attended/", attendance_bulk, name="webinar_admin_attendance_bulk"),
        path("webinars/", overview, name="webinar_admin_overview"),
        path("webinars/session/<int:session_id>/", session_detail, name="webinar_admin_session"),
        path("webinars/registration/<int:registration_id>/", registration_action, name="webinar_admin_action"),
    ]


@hooks.register("register_admin_menu_item")
def _menu():
    return CoachMenuItem("Webinar registrations", reverse("webinar_admin_overview"), icon_name="group", order=250)
