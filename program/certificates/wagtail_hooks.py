"""The coach's certificates report in the Wagtail admin (the Django admin's door is for staff)."""

from django.urls import path, reverse
from wagtail import hooks

from accounts.roles import CoachMenuItem

from .report import CertificateReportView


@hooks.register("register_admin_urls")
def certificate_report_urls():
    return [path("certificates/", CertificateReportView.as_view(), name="certificates_report")]


@hooks.register("register_admin_menu_item")
def certificate_report_menu_item():
    return CoachMenuItem("Certificates issued", reverse("certificates_report"), icon_name="doc-full", order=302)
