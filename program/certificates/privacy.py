"""Privacy for certificates: the learner's certificates in "download my data", and what deleting
the account does to them.

Certificates are revoked ("account deleted") and lose the learner's name, email and stored PDF,
so the public verification page answers "revoked" without naming anyone.
"""

from django.db import transaction

from accounts.signals import account_deleting
from program.privacy import DELETED_REASON, ExportPart, export_columns, register_export_part

from .models import Certificate, CertificateRevision
from .services import certificate_revoke


def _certificate_sections(user) -> dict:
    return {
        "certificates": (
            Certificate.objects.filter(user=user),
            export_columns(
                "code",
                "learner_name",
                "program_title",
                "completed_on",
                "hours",
                "issued_at",
                "status",
                "revoked_reason",
                "revoked_at",
            ),
            ("issued_at", "code"),
        ),
    }


def certificates_account_deleting(sender, user, **kwargs) -> None:
    """Revoke and anonymise the person's certificates; see the module docstring."""
    certificates = list(Certificate.objects.filter(user=user))
    for certificate in certificates:
        certificate_revoke(certificate=certificate, reason=DELETED_REASON)
    stored = [c.pdf.name for c in certificates if c.pdf]
    CertificateRevision.objects.filter(certificate__in=certificates).delete()  # they hold old names
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(
        user=None, learner_name="", learner_email="", pdf="", pdf_content_hash=""
    )
    if stored:
        storage = Certificate._meta.get_field("pdf").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stored])


# Registered on import: the AppConfig imports this module in ready().
register_export_part(ExportPart(sections=_certificate_sections))
account_deleting.connect(certificates_account_deleting, dispatch_uid="certificates.privacy")
