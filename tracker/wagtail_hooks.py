"""The coach reaches the leaders' consistency overview from the Wagtail admin menu."""

from django.urls import reverse
from wagtail import hooks

from home.core.admin_menu import StaffMenuItem


@hooks.register("register_admin_menu_item")
def consistency_menu_item():
    return StaffMenuItem("Leaders' consistency", reverse("tracker:coach_consistency"), icon_name="date", order=310)
