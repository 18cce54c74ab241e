"""The coach permission appears in Wagtail's group editor, where every other right is given."""

from wagtail import hooks

from .roles import coach_permission


@hooks.register("register_permissions")
def show_coach_permission():
    return coach_permission()
