"""Signed newsletter links: confirmation expires, unsubscribe works for ever."""

import datetime
import uuid

from django.core import signing

from home.core.signed_links import TokenError, make_token
from home.core.signed_links import read_token as _read

CONFIRM_SALT = "huddle.newsletter.confirm"
UNSUBSCRIBE_SALT = "huddle.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 3600

__all__ = ["CONFIRM_MAX_AGE", "CONFIRM_SALT", "UNSUBSCRIBE_SALT", "TokenError", "make_token", "read_token"]


def read_token(token: str, *, salt: str, max_age: int | None = None) -> uuid.UUID:
    return _read(
        token,
        salt=salt,
        max_age=max_age,
        expired="This confirmation link has expired. Please sign up again to get a fresh one.",
    )


def issued_at(token: str) -> datetime.datetime:
    """When a token (already verified by read_token) was signed: the signer's own timestamp, so an
    unsubscribe can win over a confirmation link sent before it."""
    timestamp = signing.b62_decode(token.rsplit(signing.Signer().sep, 2)[1])
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
