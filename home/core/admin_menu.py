"""Wagtail admin menu items for the coach's screens."""

from wagtail.admin.menu import MenuItem


class StaffMenuItem(MenuItem):
    """Shown to staff only (the coach's screens check `is_staff` too)."""

    def is_shown(self, request):
        return request.user.is_staff
