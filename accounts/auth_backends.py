"""Django's and allauth's authentication backends, with a cheaper `get_user`.

Every request from a logged-in user loads the user by id from the session. The stock backends do
it with `objects.get(pk=...)`, compiling the same query each time; these use the query compiled
once (home.core.caching.fetch) and keep the stock rule that inactive users are not let in. The
same query answers "is this the coach?" and loads the user's permissions
(`accounts.roles.with_coach_answer`, `remember_permissions`), so a page that asks (Wagtail's admin
access, its menu) pays no query for them. Between requests the answer is kept in the shared cache
(`accounts.user_cache`), under versions every change to the user, their groups or permissions moves:
a signed-in request usually asks the database nothing for its user.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from home.core.caching.fetch import by_pk

from .roles import remember_permissions, with_coach_answer
from .user_cache import cached_user


def _load(user_id):
    return by_pk(get_user_model(), user_id, name="with-coach-answer", queryset=with_coach_answer)


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
