"""Wiring for certificates, imported from CertificatesConfig.ready(): signal receivers, the
dashboard panel and the coach's menu item."""

from datetime import timedelta

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.dashboard import register_panel, shared
from program.models import Enrollment
from program.signals import enrollment_revoked, program_completed

from .models import Certificate
from .selectors import ON_FILE_KEY, VALID_ROWS_KEY, certificates_for_user
from .services import certificate_issue, certificate_revoke


@receiver(program_completed, sender=Enrollment, dispatch_uid="certificate_issue_on_completion")
def issue_on_completion(sender, enrollment: Enrollment, **kwargs) -> None:
    enrollment_id = enrollment.pk
    # After the completion commits; certificate_issue is idempotent per enrollment, so a signal
    # sent twice still gives one certificate.
    transaction.on_commit(lambda: certificate_issue(enrollment=Enrollment.objects.get(pk=enrollment_id)), robust=True)


def is_refund(reason: str, **kwargs) -> bool:
    """A refund revokes the certificate; other revocations (seat removed, access ended) do not.
    Senders may pass refund=True; otherwise a reason mentioning a refund counts."""
    return bool(kwargs.get("refund")) or "refund" in (reason or "").lower()


@receiver(enrollment_revoked, sender=Enrollment, dispatch_uid="certificate_revoke_on_refund")
def revoke_on_refund(sender, enrollment: Enrollment, reason: str = "", **kwargs) -> None:
    if not is_refund(reason, **kwargs):
        return
    for certificate in Certificate.objects.filter(enrollment=enrollment, status=Certificate.Status.VALID):
        certificate_revoke(certificate=certificate, reason=f"Enrollment refunded: {reason}"[:255])


def _dashboard_panel(request):
    if not request.user.is_authenticated or shared(request, ON_FILE_KEY, lambda: None) == 0:
        return None  # none on file (counted by the dashboard's one query): no query of its own
    certificates = shared(request, VALID_ROWS_KEY, lambda: None)  # read by the dashboard's one query
    if certificates is None:
        certificates = certificates_for_user(user=request.user)
    # "New" for two weeks after issue: how the dashboard tells the leader, besides the email.
    return {"certificates": certificates, "new_since": timezone.now() - timedelta(days=14)} if certificates else None


register_panel(
    key="certificates", template="certificates/includes/dashboard_panel.html", order=60, get_context=_dashboard_panel
)


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_certificate")


@hooks.register("register_admin_menu_item")
def certificates_menu_item():
    """The coach works in Wagtail: a menu link to the certificate screens (issue, revoke)."""
    return CertificatesMenuItem(
        "Certificates", reverse("admin:certificates_certificate_changelist"), icon_name="doc-full", order=460
    )
