"""Signed, expiring links for one registration: cancel and join. Nothing secret is guessable."""

import uuid

from home.core.signed_links import TokenError, make_token
from home.core.signed_links import read_token as _read

CANCEL_SALT = "huddle.webinar.cancel"
JOIN_SALT = "huddle.webinar.join"
MAX_AGE_SECONDS = 180 * 24 * 3600  # a link in an old email stops working after six months

__all__ = ["CANCEL_SALT", "JOIN_SALT", "MAX_AGE_SECONDS", "TokenError", "make_token", "read_token"]


def read_token(token: str, *, salt: str, max_age: int = MAX_AGE_SECONDS) -> uuid.UUID:
    return _read(
        token,
        salt=salt,
        max_age=max_age,
        expired="This link has expired. Please use the link in your most recent email.",
    )
