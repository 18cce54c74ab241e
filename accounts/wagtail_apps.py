from wagtail.users.apps import WagtailUsersAppConfig


class HuddleUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with a user viewset whose forms fit our user model."""

    user_viewset = "accounts.wagtail_users.UserViewSet"
