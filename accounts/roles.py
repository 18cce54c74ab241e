"""Who the coach is: the one answer every check in the project asks.

The coach (and her staff) see every learner's progress, read every lesson in full, run the
reports and own the admin screens. Every view, selector, menu and template that needs to know
asks `is_coach(user)`; nothing reads `is_staff` for this directly.
"""

from __future__ import annotations

from typing import Any


def is_coach(user: Any) -> bool:
    """True for an active coach or staff account; False for anonymous users and leaders."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or user.is_staff)
