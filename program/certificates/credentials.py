"""Open Badges 3.0 credentials for certificates, signed as VC-JWT, and their revocation list.

- The credential (an OpenBadgeCredential) names its recipient by an IdentityObject: the
  SHA-256 of the lower-cased email plus a per-certificate salt (`sha256$<hex>`), so a holder can
  prove it is theirs without the credential carrying their email or name.
- `credentialStatus` is a W3C Bitstring Status List entry; the list credential (signed too) has
  one bit per certificate, indexed by the certificate's primary key, set when it is revoked.
- The issuer profile, the public key set and the list are served at stable URLs (see urls.py) so
  any verifier can check a downloaded credential, and `bin/verify-credential` does it offline.
"""

import base64
import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import STATUS_LIST_MIN_BITS, Certificate
from .signing import ALGORITHM, SignatureInvalid, key_id, sign, verify

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
# (STATUS_LIST_MIN_BITS, 16 KiB: the spec's minimum, for herd privacy, lives with the positions in models.)


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def issuer_id() -> str:
    return _url("certificates:issuer")


def status_list_url() -> str:
    return _url("certificates:status_list")


def credential_url(certificate: Certificate) -> str:
    return _url("certificates:verify", certificate.code)


def recipient_hash(email: str, salt: str) -> str:
    """The IdentityObject hash of an email: sha256$ + hex(SHA-256(lower(email) + salt))."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def achievement_id(certificate: Certificate) -> str:
    """The program's public page; a workshop certificate without a program points at its own
    verification page, which describes the achievement."""
    program = certificate.program
    if program is not None and program.live:
        url = program.get_full_url()
        if url:
            return url
    return credential_url(certificate) + "#achievement"


def issuer_profile(name: str) -> dict:
    return {"id": issuer_id(), "type": ["Profile"], "name": name, "url": settings.SITE_URL + "/"}


def open_badge(certificate: Certificate) -> dict:
    """The certificate as an OpenBadgeCredential (the JWT payload's credential part)."""
    subject: dict = {"type": ["AchievementSubject"]}
    if certificate.learner_email:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": recipient_hash(certificate.learner_email, certificate.recipient_salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": certificate.recipient_salt,
            }
        ]
    achievement = {
        "id": achievement_id(certificate),
        "type": ["Achievement"],
        "name": certificate.program_title,
        "description": f"Completed {certificate.program_title}.",
        "criteria": {"narrative": "Completed every required lesson and knowledge check of the program."},
        "achievementType": "Certificate",
    }
    subject["achievement"] = achievement
    subject["activityEndDate"] = _iso(datetime.combine(certificate.completed_on, datetime.min.time(), UTC))
    if certificate.hours:
        subject["creditsEarned"] = float(certificate.hours)
    return {
        "@context": CONTEXT,
        "id": credential_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificate of completion: {certificate.program_title}",
        "issuer": issuer_profile(certificate.issuer_name),
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def signed_credential(certificate: Certificate) -> str:
    """The credential as a VC-JWT: the JWT claims are the credential plus iss, jti and nbf."""
    document = open_badge(certificate)
    claims = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
    }
    return sign(claims)


# --- the revocation list ------------------------------------------------------------------


def encode_bitstring(revoked_indexes: list[int]) -> str:
    """Multibase base64url (no padding, prefix "u") of the GZIP-compressed bitstring; bit 0 is
    the left-most bit of the first byte, as the Bitstring Status List spec says."""
    size = max(STATUS_LIST_MIN_BITS, ((max(revoked_indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    raw = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return 0 <= index < len(bits) * 8 and bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_document() -> dict:
    # Each revoked certificate's random position, and its legacy one (its id) for credentials
    # downloaded before positions were random; the two ranges never overlap (new_status_index).
    positions = Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list(
        "status_index", "legacy_status_index"
    )
    revoked = [index for pair in positions for index in pair if index is not None]
    url = status_list_url()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _iso(timezone.now()),
        "credentialSubject": {
            "id": url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked),
        },
    }


def signed_status_list() -> str:
    document = status_list_document()
    return sign({**document, "iss": document["issuer"], "jti": document["id"], "iat": int(timezone.now().timestamp())})


# --- verification -------------------------------------------------------------------------


@dataclass
class CredentialCheck:
    """What a verifier learns from a token: each check and a verdict a person can read."""

    signature_ok: bool = False
    issuer_ok: bool = False
    revoked: bool | None = None  # None: not one of ours / unknown index
    problems: list[str] = field(default_factory=list)
    claims: dict = field(default_factory=dict)
    key_id: str = ""
    algorithm: str = ""

    @property
    def valid(self) -> bool:
        return self.signature_ok and self.issuer_ok and self.revoked is False and not self.problems

    @property
    def achievement_name(self) -> str:
        return str(self.claims.get("credentialSubject", {}).get("achievement", {}).get("name", ""))


def credential_check(token: str, *, known: Certificate | None = None) -> CredentialCheck:
    """Verify a VC-JWT as an outside verifier would: the signature against our published key,
    the issuer, the validity window, and the certificate's revocation status (the status
    list's bit). `known` saves the lookup when the caller already holds the certificate."""
    result = CredentialCheck()
    try:
        header, claims = verify(token)
    except SignatureInvalid as exc:
        result.problems.append(str(exc))
        return result
    result.signature_ok, result.claims = True, claims
    result.key_id, result.algorithm = str(header.get("kid", "")), str(header.get("alg", ""))
    issuer = claims.get("issuer")
    issuer_value = issuer.get("id") if isinstance(issuer, dict) else issuer
    result.issuer_ok = claims.get("iss") == issuer_id() == issuer_value
    if not result.issuer_ok:
        result.problems.append("The issuer named in the credential is not this site.")
    now = timezone.now().timestamp()
    if isinstance(claims.get("nbf"), int | float) and claims["nbf"] > now + 60:
        result.problems.append("The credential is not valid yet.")
    if isinstance(claims.get("exp"), int | float) and claims["exp"] < now:
        result.problems.append("The credential has expired.")
    status = claims.get("credentialStatus") or {}
    try:
        index = int(status.get("statusListIndex", ""))
    except (TypeError, ValueError):
        result.problems.append("The credential has no revocation entry.")
        return result
    if known is not None and index in (known.status_index, known.legacy_status_index):
        certificate = known
    else:
        at_index = Q(status_index=index) | Q(legacy_status_index=index)
        certificate = Certificate.objects.filter(at_index).only("status", "code").first()
    if certificate is None or claims.get("jti") != credential_url(certificate):
        result.problems.append("The revocation entry does not match a certificate issued here.")
        return result
    result.revoked = certificate.status == Certificate.Status.REVOKED
    if result.revoked:
        result.problems.append("The issuer has revoked this credential.")
    return result


def signing_summary() -> dict:
    return {"algorithm": ALGORITHM, "key_id": key_id()}
