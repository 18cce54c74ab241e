"""The coach's certificate screens in the Django admin: issue one by hand (e.g. for a live
workshop, no enrollment needed) and revoke with a reason. Issued data is read-only."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .models import Certificate, CertificateRevision
from .services import certificate_issue, certificate_revoke

FROZEN = (
    "code",
    "user",
    "enrollment",
    "program",
    "learner_name",
    "learner_email",
    "program_title",
    "completed_on",
    "hours",
    "coach_name",
    "coach_signature",
    "issuer_name",
    "issued_at",
    "issued_by",
    "status",
    "revoked_reason",
    "revoked_at",
    "pdf",
    "pdf_template_version",
    "pdf_content_hash",
)


class ManualIssueForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["user", "learner_name", "learner_email", "program", "program_title", "completed_on", "hours"]
        help_texts = {
            "user": "Optional: the learner's account, so they can download it from their dashboard.",
            "learner_name": "As it should be printed. Leave blank to use the account's full name.",
            "program_title": "For a workshop, its title. Leave blank to use the program's title.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("learner_name", "program_title"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if not data.get("learner_name") and not data.get("user"):
            self.add_error("learner_name", "Give the learner's name or choose their account.")
        if not data.get("program_title") and not data.get("program"):
            self.add_error("program_title", "Give the workshop's title or choose the program.")
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Shown on the public verification page.")


class CertificateRevisionInline(admin.TabularInline):
    model = CertificateRevision
    extra = 0
    can_delete = False
    readonly_fields = ("old_name", "new_name", "requested_by", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "learner_name", "program_title", "completed_on", "status")
    list_filter = ("status", "paper_size")
    search_fields = ("code", "learner_name", "learner_email", "program_title")
    actions = ["revoke_selected"]
    inlines = [CertificateRevisionInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ManualIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ManualIssueForm.Meta.fields
        return [*FROZEN, "paper_size"]

    def get_readonly_fields(self, request, obj=None):
        return FROZEN if obj else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the verification page must keep answering

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data  # the form checked what certificate_issue needs
        issued = certificate_issue(
            user=data["user"],
            learner_name=data["learner_name"],
            learner_email=data["learner_email"],
            program=data["program"],
            program_title=data["program_title"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            issued_by=request.user,
        )
        obj.__dict__.update({k: v for k, v in issued.__dict__.items() if not k.startswith("_")})

    @admin.action(description="Revoke selected certificates (asks for a reason)")
    def revoke_selected(self, request, queryset):
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            for certificate in queryset:
                certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
            self.message_user(request, f"Revoked {queryset.count()} certificate(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Revoke certificates",
            "certificates": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "certificates/admin_revoke.html", context)
