"""Django's and allauth's authentication backends, with a cheaper `get_user`.

Every request from a logged-in user loads the user by id from the session. The stock backends do
it with `objects.get(pk=...)`, compiling the same query each time; these use the query compiled
once (home.core.caching.fetch) and keep the stock rule that inactive users are not let in. The
same query answers "is this the coach?" (`accounts.roles.with_coach_answer`), so a page that asks
pays no query for it.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from home.core.caching.fetch import by_pk

from .roles import with_coach_answer


class _FastGetUser:
    def get_user(self, user_id):
        user = by_pk(get_user_model(), user_id, name="with-coach-answer", queryset=with_coach_answer)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_FastGetUser, DjangoModelBackend):
    """Email and password, as Django's ModelBackend (used by the admin and `force_login`)."""


class AuthenticationBackend(_FastGetUser, AllauthBackend):
    """allauth's backend (log-in by email, as configured)."""
