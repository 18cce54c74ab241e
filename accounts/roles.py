"""Who the coach is: the one answer every check in the project asks.

The coach (and her staff) see every learner's progress, read every lesson in full, run the
reports and own the admin screens. Every view, selector, menu and template that needs to know
asks `is_coach(user)` (templates: `{% load roles %}{% if user|is_coach %}`), the admin menu uses
`CoachMenuItem`, and mail meant for the coach goes to `coaches()`; nothing else reads `is_staff`
for this.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.admin.menu import MenuItem


def is_coach(user: Any) -> bool:
    """True for an active coach or staff account; False for anonymous users and leaders."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or user.is_staff)


def coaches() -> QuerySet:
    """The accounts `is_coach` says yes to, e.g. to email the coach about a dispute."""
    return get_user_model().objects.filter(coaches_q())


def coaches_q() -> Q:
    """`coaches()` as a condition, for subqueries on users."""
    return (Q(is_staff=True) | Q(is_superuser=True)) & Q(is_active=True)


class CoachMenuItem(MenuItem):
    """A Wagtail admin menu item for the coach's screens, shown to the coach only."""

    def is_shown(self, request):
        return is_coach(request.user)
