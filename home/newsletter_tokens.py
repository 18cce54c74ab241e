"""Signed newsletter links: confirmation expires, unsubscribe works for ever."""

import uuid

from django.core import signing

CONFIRM_SALT = "huddle.newsletter.confirm"
UNSUBSCRIBE_SALT = "huddle.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 3600


class TokenError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def make_token(subscriber_uuid: uuid.UUID, *, salt: str) -> str:
    return signing.dumps(str(subscriber_uuid), salt=salt, compress=False)


def read_token(token: str, *, salt: str, max_age: int | None = None) -> uuid.UUID:
    try:
        return uuid.UUID(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired as exc:
        raise TokenError("This confirmation link has expired. Please sign up again to get a fresh one.") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenError("This link is not valid. Please copy the whole link from your email.") from exc
