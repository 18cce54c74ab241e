"""Completion certificates: frozen at issue time, verifiable by a non-guessable code."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from program.learner_data import LearnerQuerySet

# Crockford base32 without I, L, O, U: easy to read aloud and type from a printed page.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_certificate_code() -> str:
    """Four groups of four random base32 characters (80 bits), e.g. 7K2M-QX9D-4TPW-HB3R."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def new_recipient_salt() -> str:
    return secrets.token_hex(16)


STATUS_LIST_MIN_BITS = 131072  # 16 KiB: the Bitstring Status List spec's minimum, for herd privacy


def new_status_index() -> int:
    """A random unused position in the revocation list (the spec recommends random positions;
    sequential ones would tell anyone roughly how many certificates exist). Positions start above
    every legacy one (certificates whose first credentials used their database id). Two queries."""
    legacy = Certificate.objects.aggregate(top=models.Max("legacy_status_index"), n=models.Count("pk"))
    low = 0 if legacy["top"] is None else legacy["top"] + 1
    high = max(STATUS_LIST_MIN_BITS, low + 4 * (legacy["n"] + 1))  # at most a quarter full
    while True:
        candidate = low + secrets.randbelow(high - low)
        if not Certificate.objects.filter(status_index=candidate).exists():
            return candidate


class Certificate(models.Model):
    """A certificate of completion. Everything printed on it is copied here when it is issued,
    so later edits to the user, the program or the site settings never change an issued one."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        REVOKED = "revoked", "Revoked"

    class PaperSize(models.TextChoices):
        LETTER = "letter", "US Letter"
        A4 = "a4", "A4"

    code = models.CharField(max_length=19, unique=True, default=new_certificate_code, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    enrollment = models.OneToOneField(
        "program.Enrollment", null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    program = models.ForeignKey(
        "program.ProgramPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    # Frozen at issue time.
    learner_name = models.CharField(max_length=200)
    learner_email = models.EmailField(blank=True, help_text="Where the certificate was sent. Never shown publicly.")
    # The signed credential names its recipient by sha256(email + salt), never the email itself;
    # a per-certificate salt keeps one person's credentials from being linked by their hash.
    recipient_salt = models.CharField(max_length=32, default=new_recipient_salt, editable=False)
    # The credential's position in the revocation list: random, unused (see new_status_index).
    status_index = models.PositiveIntegerField(unique=True, null=True, editable=False)
    # Credentials signed before positions were random carry the database id: it stays in the
    # list (and verifies) for copies downloaded back then.
    legacy_status_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    program_title = models.CharField(max_length=255)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    coach_name = models.CharField(max_length=120, blank=True)
    coach_signature = models.CharField(max_length=255, blank=True, help_text="Storage name of the signature image.")
    issuer_name = models.CharField(max_length=80, help_text="The brand that issued it.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.CharField(max_length=255, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.LETTER)

    # The stored PDF and what it was made from; a different hash means it is stale.
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_template_version = models.CharField(max_length=20, blank=True)
    pdf_content_hash = models.CharField(max_length=64, blank=True)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.learner_name}: {self.program_title} ({self.code})"

    def save(self, *args, **kwargs):
        if self.status_index is None:
            self.status_index = new_status_index()
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class CertificateRevision(models.Model):
    """One re-issue of a certificate under a corrected name (same code, same date)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="revisions")
    old_name = models.CharField(max_length=200)
    new_name = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"
