"""Signed, expiring links for one registration: cancel and join. Nothing secret is guessable."""

import uuid

from django.core import signing

CANCEL_SALT = "huddle.webinar.cancel"
JOIN_SALT = "huddle.webinar.join"
MAX_AGE_SECONDS = 180 * 24 * 3600  # a link in an old email stops working after six months


class TokenError(Exception):
    """The link is tampered with, expired or points to nothing. `message` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def make_token(registration_uuid: uuid.UUID, *, salt: str) -> str:
    return signing.dumps(str(registration_uuid), salt=salt, compress=False)


def read_token(token: str, *, salt: str, max_age: int = MAX_AGE_SECONDS) -> uuid.UUID:
    try:
        return uuid.UUID(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired as exc:
        raise TokenError("This link has expired. Please use the link in your most recent email.") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError("This link is not valid. Please copy the whole link from your email.") from exc
