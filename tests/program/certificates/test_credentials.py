"""Signed Open Badges 3.0 credentials: 1EdTech's schema, a signature another library verifies,
a hashed recipient, a Bitstring Status List revocation, the public check and the offline script."""

import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import jwt as pyjwt  # not the signer's library (joserfc)
import pytest
from django.urls import reverse
from joserfc.jwk import RSAKey

from home.models import SiteSettings
from program.certificates import credentials, signing
from program.certificates.services import certificate_issue, certificate_revoke
from program.models import ProgramPage

SCHEMA = json.loads((Path(__file__).parent / "schema" / "ob_v3p0_achievementcredential_schema.json").read_text())
SCRIPT = Path(__file__).resolve().parents[3] / "bin" / "verify-credential"


@pytest.fixture
def program(home_page) -> ProgramPage:
    page = ProgramPage(title="9 Steps to Leading a Rock Star Sales Team", slug="nine-steps", promise="Lead well.")
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def certificate(user, program):
    return certificate_issue(user=user, program=program, hours=Decimal("12"), notify=False)


def jwt_of(client, certificate) -> str:
    response = client.get(reverse("certificates:verify_jwt", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def published_keys(client) -> dict:
    return client.get(reverse("certificates:jwks")).json()


def verify_with_pyjwt(token: str, jwks: dict) -> dict:
    kid = pyjwt.get_unverified_header(token)["kid"]
    key = next(k for k in pyjwt.PyJWKSet.from_dict(jwks).keys if k.key_id == kid)
    return pyjwt.decode(token, key.key, algorithms=["RS256"])


def test_credential_validates_against_1edtech_schema(certificate):
    document = credentials.open_badge(certificate)
    jsonschema.Draft201909Validator(SCHEMA).validate(document)
    # and the schema has teeth: a credential without validFrom is refused
    del document["validFrom"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft201909Validator(SCHEMA).validate(document)


def test_signed_credential_verifies_with_another_library_and_matches_the_schema(client, certificate):
    token = jwt_of(client, certificate)
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "RS256"
    claims = verify_with_pyjwt(token, published_keys(client))
    assert claims["iss"] == claims["issuer"]["id"] == credentials.issuer_id()
    assert claims["jti"] == claims["id"]
    jsonschema.Draft201909Validator(SCHEMA).validate(claims)


def test_tampered_credential_fails_both_verifiers(client, certificate):
    token = jwt_of(client, certificate)
    head, payload, sig = token.split(".")
    claims = json.loads(pyjwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Something else"
    forged = ".".join([head, pyjwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), sig])
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_with_pyjwt(forged, published_keys(client))
    assert credentials.credential_check(forged).signature_ok is False


def test_recipient_is_a_salted_email_hash_not_a_name(client, user, certificate):
    token = jwt_of(client, certificate)
    identity = pyjwt.decode(token, options={"verify_signature": False})["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256((user.email.lower() + certificate.recipient_salt).encode()).hexdigest()
    assert identity == {
        "type": "IdentityObject",
        "identityHash": "sha256$" + expected,
        "identityType": "emailAddress",
        "hashed": True,
        "salt": certificate.recipient_salt,
    }
    decoded = pyjwt.utils.base64url_decode(token.split(".")[1]).decode()
    assert user.email not in decoded and certificate.learner_name not in decoded


def test_each_certificate_has_its_own_salt(user, program, home_page):
    other = ProgramPage(title="Workshop", slug="workshop", promise="x")
    home_page.add_child(instance=other)
    a = certificate_issue(user=user, program=program, notify=False)
    b = certificate_issue(user=user, program=other, notify=False)
    assert a.recipient_salt != b.recipient_salt


def test_revocation_sets_the_bit_in_the_signed_status_list(client, certificate):
    def bit() -> bool:
        token = client.get(reverse("certificates:status_list")).content.decode()
        status_list = verify_with_pyjwt(token, published_keys(client))
        assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
        bits = credentials.decode_bitstring(status_list["credentialSubject"]["encodedList"])
        assert len(bits) * 8 >= credentials.STATUS_LIST_MIN_BITS
        return credentials.bit_is_set(bits, certificate.status_index)

    entry = credentials.open_badge(certificate)["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusListIndex"] == str(certificate.status_index)
    assert bit() is False
    certificate_revoke(certificate=certificate, reason="Payment refunded")
    assert bit() is True


def test_bitstring_encoding_puts_index_zero_in_the_leftmost_bit():
    bits = credentials.decode_bitstring(credentials.encode_bitstring([0, 9]))
    assert bits[0] == 0x80 and bits[1] == 0x40 and not any(bits[2:])


def test_achievement_id_is_a_real_page(client, certificate):
    achievement = credentials.open_badge(certificate)["credentialSubject"]["achievement"]["id"]
    assert client.get(urlsplit(achievement).path).status_code == 200


def test_issuer_profile_is_served_at_the_issuer_id(client, certificate):
    issuer = credentials.open_badge(certificate)["issuer"]["id"]
    profile = client.get(urlsplit(issuer).path).json()
    assert profile["id"] == issuer and profile["type"] == ["Profile"]
    assert client.get(urlsplit(profile["publicKeys"]).path).json()["keys"][0]["kid"] == signing.key_id()


def test_key_comes_from_the_environment(settings, certificate, client):
    key = RSAKey.generate_key(2048, private=True)
    settings.CERTIFICATE_SIGNING_KEY = key.as_pem(private=True).decode().replace("\n", "\\n")  # one-line form
    assert signing.key_id() == key.thumbprint()
    token = jwt_of(client, certificate)
    assert pyjwt.get_unverified_header(token)["kid"] == key.thumbprint()
    verify_with_pyjwt(token, published_keys(client))


def test_verification_page_shows_the_signature_result(client, certificate):
    html = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "Signature verified" in html
    certificate_revoke(certificate=certificate, reason="Payment refunded")
    html = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "Genuine, but not valid" in html and "revoked this credential" in html


def test_check_page_verifies_a_pasted_credential(client, certificate):
    url = reverse("certificates:check")
    token = jwt_of(client, certificate)
    assert "Signature verified" in client.post(url, {"credential": token}).content.decode()
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    html = client.post(url, {"credential": forged}).content.decode()
    assert "Not verified" in html and "Signature verified" not in html
    for junk in ["", "not a token", "a.b.c", "eyJ" * 30000]:
        response = client.post(url, {"credential": junk})
        assert response.status_code == 200
        assert "Signature verified" not in response.content.decode()


def test_a_token_signed_by_another_key_is_refused(client, certificate):
    stranger = RSAKey.generate_key(2048, private=True)
    token = pyjwt.encode(
        credentials.open_badge(certificate) | {"iss": credentials.issuer_id()},
        stranger.as_pem(private=True),
        algorithm="RS256",
        headers={"kid": signing.key_id()},  # even claiming our key id
    )
    check = credentials.credential_check(token)
    assert not check.valid and not check.signature_ok


def test_linkedin_carries_the_organization_id_when_set(client, certificate, home_page):
    from wagtail.models import Site

    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.linkedin_organization_id = "1234567"
    settings_row.save()
    html = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "organizationId=1234567" in html and "organizationName" not in html
    assert f"certId={certificate.code}" in html


def run_script(tmp_path, client, certificate, *extra):
    (tmp_path / "c.jwt").write_text(jwt_of(client, certificate))
    (tmp_path / "jwks.json").write_text(json.dumps(published_keys(client)))
    (tmp_path / "status.jwt").write_text(client.get(reverse("certificates:status_list")).content.decode())
    args = [str(tmp_path / "c.jwt"), "--jwks", str(tmp_path / "jwks.json"), "--status", str(tmp_path / "status.jwt")]
    return subprocess.run([sys.executable, str(SCRIPT), *args, *extra], capture_output=True, text=True, timeout=60)


def test_offline_verifier_script(tmp_path, client, user, certificate):
    done = run_script(tmp_path, client, certificate, "--email", user.email.upper())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VALID" in done.stdout
    wrong = run_script(tmp_path, client, certificate, "--email", "someone@else.test")
    assert wrong.returncode == 1 and "does not name this email" in wrong.stdout
    certificate_revoke(certificate=certificate, reason="Payment refunded")
    revoked = run_script(tmp_path, client, certificate)
    assert revoked.returncode == 1 and "revoked" in revoked.stdout


def test_status_positions_are_random_and_unused(program):
    from tests.factories import UserFactory

    issued = [certificate_issue(user=UserFactory(), program=program, notify=False) for _ in range(6)]
    positions = [c.status_index for c in issued]
    assert len(set(positions)) == 6 and all(0 <= p < credentials.STATUS_LIST_MIN_BITS for p in positions)
    assert positions != [c.pk for c in issued]
    assert sorted(positions) != list(range(min(positions), min(positions) + 6))  # not a counter


def test_a_credential_downloaded_before_random_positions_still_verifies_and_revokes(client, certificate):
    """As the migration leaves it: the old position (the id) kept, a random one for new copies."""
    from program.certificates.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(legacy_status_index=certificate.pk)
    certificate.refresh_from_db()
    document = credentials.open_badge(certificate)
    document["credentialStatus"]["statusListIndex"] = str(certificate.pk)  # the copy from before
    old_copy = signing.sign({**document, "iss": document["issuer"]["id"], "jti": document["id"], "nbf": 0})
    assert credentials.credential_check(old_copy).valid, credentials.credential_check(old_copy).problems
    certificate_revoke(certificate=certificate, reason="Refunded")
    assert credentials.credential_check(old_copy).revoked is True
    bits = credentials.decode_bitstring(credentials.status_list_document()["credentialSubject"]["encodedList"])
    assert credentials.bit_is_set(bits, certificate.pk) and credentials.bit_is_set(bits, certificate.status_index)


def test_the_migration_gives_existing_certificates_random_positions_above_their_ids(program):
    import importlib

    from django.apps import apps

    from program.certificates.models import Certificate
    from tests.factories import UserFactory

    migration = importlib.import_module("program.certificates.migrations.0004_random_status_index")
    for _ in range(3):
        certificate_issue(user=UserFactory(), program=program, notify=False)
    Certificate.objects.update(status_index=None, legacy_status_index=None)  # as before the migration
    migration.random_positions_for_existing(apps, None)
    rows = list(Certificate.objects.values_list("pk", "status_index", "legacy_status_index"))
    assert all(legacy == pk and index > max(r[0] for r in rows) for pk, index, legacy in rows)
    assert len({index for _, index, _ in rows}) == 3
