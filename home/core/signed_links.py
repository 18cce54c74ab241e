"""Signed links that carry one UUID (a subscriber, a registration): one salt per purpose, an
optional age limit, and errors whose `message` is safe to show to the person who clicked."""

import uuid

from django.core import signing

INVALID = "This link is not valid. Please copy the whole link from your email."


class TokenError(Exception):
    """The link is tampered with, expired or points to nothing. `message` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def make_token(value: uuid.UUID, *, salt: str) -> str:
    return signing.dumps(str(value), salt=salt, compress=False)


def read_token(token: str, *, salt: str, max_age: int | None, expired: str) -> uuid.UUID:
    """The UUID in `token`; TokenError with `expired` when it is older than `max_age` seconds."""
    try:
        return uuid.UUID(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired as exc:
        raise TokenError(expired) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError(INVALID) from exc
