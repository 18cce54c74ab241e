"""The coach reaches the leaders' consistency overview from the Wagtail admin menu."""

from wagtail import hooks


@hooks.register("register_admin_menu_item")
def consistency_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class StaffMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.is_staff

    return StaffMenuItem("Leaders' consistency", reverse("tracker:coach_consistency"), icon_name="date", order=310)
