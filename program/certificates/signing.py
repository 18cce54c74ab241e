"""The issuer's signing key, its public key set, and VC-JWT signing and verification.

The key is an RSA private key in PEM, from `CERTIFICATE_SIGNING_KEY` (required in production).
In development and tests, when the variable is empty, a key is generated once into
`CERTIFICATE_DEV_KEY_PATH` (under var/, never committed). The key id is the key's RFC 7638
thumbprint, so a rotated key gets a new id and credentials signed by the old one fail loudly.

Signatures are RS256: the algorithm every Open Badges 3.0 verifier must support.
"""

import functools
import os
from pathlib import Path

from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"


class SignatureInvalid(Exception):
    """The token is malformed, signed by another key, or altered; the message is safe to show."""


def _private_pem() -> str:
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if pem:
        return pem.replace("\\n", "\n")  # a PEM pasted into a one-line environment variable
    path = Path(settings.CERTIFICATE_DEV_KEY_PATH)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = RSAKey.generate_key(2048, private=True)
        # Written with owner-only permissions, atomically: two processes starting together
        # must not end up signing with different keys.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.as_pem(private=True))
        try:
            os.link(tmp, path)  # fails if another process won the race; theirs is kept
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text()


@functools.cache
def _load(pem: str) -> RSAKey:
    key = RSAKey.import_key(pem)
    if not key.is_private:
        raise ValueError("CERTIFICATE_SIGNING_KEY must be an RSA private key in PEM.")
    return RSAKey.import_key(key.as_dict(private=True), {"kid": key.thumbprint(), "use": "sig", "alg": ALGORITHM})


def signing_key() -> RSAKey:
    return _load(_private_pem())


def key_id() -> str:
    return signing_key().kid


def public_jwk() -> dict:
    """The public half as a JWK (kid, use, alg, n, e)."""
    return signing_key().as_dict(private=False)


def public_key_set() -> dict:
    """The JWKS verifiers fetch: {"keys": [...]}."""
    return {"keys": [public_jwk()]}


def sign(claims: dict) -> str:
    """A compact JWS (VC-JWT) over `claims`, with the key id in the header."""
    return jwt.encode({"alg": ALGORITHM, "kid": key_id(), "typ": "JWT"}, claims, signing_key(), algorithms=[ALGORITHM])


def verify(token: str) -> tuple[dict, dict]:
    """(header, claims) of a token signed by our key. Raises SignatureInvalid otherwise."""
    keys = KeySet([RSAKey.import_key(public_jwk())])
    try:
        decoded = jwt.decode((token or "").strip(), keys, algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError) as exc:
        raise SignatureInvalid(_reason(exc)) from exc
    return dict(decoded.header), dict(decoded.claims)


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "KeyId" in name:
        return "It was signed with a key this issuer does not publish."
    if "BadSignature" in name:
        return "The signature does not match: the credential was altered or signed by someone else."
    return "This is not a signed credential (a VC-JWT) that could be read."
