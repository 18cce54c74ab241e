"""The coach reaches the leaders' consistency overview from the Wagtail admin menu."""

from wagtail import hooks


@hooks.register("register_admin_menu_item")
def consistency_menu_item():
    from django.urls import reverse

    from home.core.admin_menu import StaffMenuItem

    return StaffMenuItem("Leaders' consistency", reverse("tracker:coach_consistency"), icon_name="date", order=310)
