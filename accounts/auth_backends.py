"""Django's and allauth's authentication backends, with a cheaper `get_user`.

Every request from a logged-in user loads the user by id from the session, keeping the stock rule
that inactive users are not let in. The same query answers "is this the coach?", loads the user's
permissions (`accounts.roles.with_coach_answer`, `remember_permissions`) and joins her Wagtail
profile (`accounts.admin_profile.load_with_user`), so a page that asks (Wagtail's admin access, its
menu, the admin's theme and language) pays no query for them. Between requests the answer is kept in the shared cache
(`accounts.user_cache`), under versions every change to the user, their groups or permissions moves:
a signed-in request usually asks the database nothing for its user.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .admin_profile import load_with_user
from .roles import remember_permissions, with_coach_answer
from .user_cache import cached_user


def _load(user_id):
    """The user (a miss of accounts' user cache) with her Wagtail profile in the same query."""
    return load_with_user(with_coach_answer(), user_id)


class _FastGetUser:
    def get_user(self, user_id):
        user = cached_user(user_id, _load)
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_permissions(user)  # Django's two permission reads, answered by the same query
        return user


class ModelBackend(_FastGetUser, DjangoModelBackend):
    """Email and password, as Django's ModelBackend (used by the admin and `force_login`)."""


class AuthenticationBackend(_FastGetUser, AllauthBackend):
    """allauth's backend (log-in by email, as configured)."""
