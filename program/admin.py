"""The coach's enrollment screens in the Django admin.

Enrollments are granted and revoked only through the services (with a reason and the coach as
the actor), so every change lands in the audit trail shown inline.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .models import Enrollment, EnrollmentEvent
from .services import enrollment_grant, enrollment_revoke

MANUAL_REASONS = ["Comped", "Paid by invoice", "Workshop attendee"]


class GrantForm(forms.ModelForm):
    reason = forms.CharField(
        max_length=255, help_text=f"Why this leader gets access, e.g. {', '.join(MANUAL_REASONS).lower()}."
    )

    class Meta:
        model = Enrollment
        fields = ["user", "program", "reason"]


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=255, help_text="Recorded in the enrollment's audit trail.")


class EnrollmentEventInline(admin.TabularInline):
    model = EnrollmentEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "action", "source", "reason", "actor")
    verbose_name_plural = "audit trail"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "program", "status", "source", "enrolled_at", "revoked_at", "completed_at")
    list_filter = ("status", "source", "program")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "program")
    autocomplete_fields = ("user",)
    actions = ["revoke_selected", "restore_selected"]
    inlines = [EnrollmentEventInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = GrantForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "program", "reason"]
        return ["user", "program", "status", "source", "reason", "enrolled_at", "revoked_at", "completed_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row keeps the learner's progress

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        granted = enrollment_grant(
            user=data["user"],
            program=data["program"],
            source=Enrollment.Source.MANUAL,
            reason=data["reason"],
            actor=request.user,
        )
        obj.pk = granted.pk
        obj.__dict__.update({k: v for k, v in granted.__dict__.items() if not k.startswith("_")})

    def save_related(self, request, form, formsets, change):
        pass  # nothing inline to save; the audit trail is written by the service

    def _with_reason(self, request, queryset, *, action: str, title: str, verb: str):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            return form.cleaned_data["reason"]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "enrollments": queryset.select_related("user", "program"),
            "form": form,
            "verb": verb,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "program/enrollment_admin_reason.html", context)

    @admin.action(description="Revoke access (asks for a reason; progress is kept)")
    def revoke_selected(self, request, queryset):
        reason = self._with_reason(request, queryset, action="revoke_selected", title="Revoke access", verb="Revoke")
        if not isinstance(reason, str):
            return reason
        for enrollment in queryset:
            enrollment_revoke(enrollment=enrollment, reason=reason, actor=request.user)
        self.message_user(request, f"Revoked {queryset.count()} enrollment(s).", messages.SUCCESS)
        return None

    @admin.action(description="Grant access again, manually (asks for a reason)")
    def restore_selected(self, request, queryset):
        reason = self._with_reason(request, queryset, action="restore_selected", title="Grant access", verb="Grant")
        if not isinstance(reason, str):
            return reason
        for enrollment in queryset.select_related("user", "program"):
            enrollment_grant(
                user=enrollment.user,
                program=enrollment.program,
                source=Enrollment.Source.MANUAL,
                reason=reason,
                actor=request.user,
            )
        self.message_user(request, f"Granted {queryset.count()} enrollment(s).", messages.SUCCESS)
        return None
