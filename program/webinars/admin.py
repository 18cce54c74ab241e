"""The coach's webinar view in the Wagtail admin: counts per session, the funnel per webinar,
registrations with CSV export, "mark attended" and "resend confirmation"."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks

from accounts.roles import CoachMenuItem, is_coach
from home.core.spreadsheet import safe_cell

from .models import WebinarRegistration
from .selectors import webinar_coach_overview, webinar_session_registrations
from .services import webinar_confirmation_resend, webinar_registration_mark_attended


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
        writer = csv.writer(response)
        writer.writerow(
            ["name", "email", "company", "role", "team size", "status", "registered", "attended", "question"]
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
                    r.created_at.isoformat(),
                    r.attended_at.isoformat() if r.attended_at else "",
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


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("webinars/", overview, name="webinar_admin_overview"),
        path("webinars/session/<int:session_id>/", session_detail, name="webinar_admin_session"),
        path("webinars/registration/<int:registration_id>/", registration_action, name="webinar_admin_action"),
    ]


@hooks.register("register_admin_menu_item")
def _menu():
    return CoachMenuItem("Webinar registrations", reverse("webinar_admin_overview"), icon_name="group", order=250)
