"""The coach reaches the leaders' consistency overview and the monthly rhythm console from the Wagtail
admin menu."""

from django.urls import reverse
from wagtail import hooks

from accounts.roles import CoachMenuItem


@hooks.register("register_admin_menu_item")
def consistency_menu_item():
    return CoachMenuItem("Leaders' consistency", reverse("tracker:coach_consistency"), icon_name="date", order=310)


@hooks.register("register_admin_menu_item")
def rhythm_console_menu_item():
    return CoachMenuItem("Monthly rhythm", reverse("tracker:coach_console"), icon_name="tasks", order=311)
