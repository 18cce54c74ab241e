"""The signed-in user kept in the shared cache between requests (accounts/user_cache.py): no query
for the user once warm, and every change that matters applies on the very next request, the cache
warm when the change is made."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts import user_cache
from accounts.auth_backends import ModelBackend, _load
from accounts.models import User
from accounts.roles import coach_permission, is_coach
from tests.factories import PASSWORD, CoachFactory, UserFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("accounts:dashboard")


def _warm(pk) -> User:
    """Load the user twice: the second load comes from the cache (no query)."""
    ModelBackend().get_user(pk)
    return ModelBackend().get_user(pk)


def _signed_in(client) -> bool:
    response = client.get(DASHBOARD)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_warm_user_costs_no_query_and_matches_the_database(django_assert_num_queries):
    coach = CoachFactory(time_zone="Europe/Paris")
    coach.user_permissions.add(Permission.objects.get(codename="access_admin"))
    fresh = ModelBackend().get_user(coach.pk)
    with django_assert_num_queries(0):
        kept = ModelBackend().get_user(coach.pk)
        assert is_coach(kept)
        assert kept.get_all_permissions() == fresh.get_all_permissions()
        assert kept.has_perm("wagtailadmin.access_admin")
        assert kept.get_session_auth_hash() == fresh.get_session_auth_hash()
    for field in ("email", "full_name", "time_zone", "is_active", "is_superuser", "date_joined", "last_login"):
        assert getattr(kept, field) == getattr(fresh, field), field
    assert kept is not fresh and kept.pk == coach.pk and not kept._state.adding


def test_the_cache_never_holds_the_password_hash_and_the_password_still_checks():
    user = UserFactory()
    kept = _warm(user.pk)
    stored = cache.get(user_cache._entry_key(user.pk))
    assert stored is not None and user.password not in repr(stored)
    assert "password" in kept.get_deferred_fields()
    assert kept.check_password(PASSWORD)  # read from the database when asked


def test_a_deactivated_user_is_out_on_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client) and _signed_in(client)  # the second from the cache
    user.is_active = False
    user.save()
    assert not _signed_in(client)


def test_a_password_changed_elsewhere_signs_out_every_other_session(client, django_user_model):
    from django.test import Client

    user = UserFactory()
    other = Client()
    client.force_login(user)
    other.force_login(user)
    assert _signed_in(client) and _signed_in(other)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "fresh-secret-991", "password2": "fresh-secret-991"},
    )
    assert response.status_code == 302
    assert _signed_in(client)  # the session that changed it stays in (its hash was updated)
    assert not _signed_in(other)


def test_a_session_with_a_wrong_hash_is_refused_with_the_cache_warm(client):
    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client) and _signed_in(client)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    assert not _signed_in(client)


def test_a_removed_coach_role_applies_on_the_next_load():
    coach, direct = CoachFactory(), UserFactory()
    direct.user_permissions.add(*coach_permission())
    assert is_coach(_warm(coach.pk)) and is_coach(_warm(direct.pk))
    coach.groups.remove(Group.objects.get(name="Coaches"))
    direct.user_permissions.remove(*coach_permission())
    assert not is_coach(ModelBackend().get_user(coach.pk))
    assert not is_coach(ModelBackend().get_user(direct.pk))


def test_a_group_losing_or_gaining_a_permission_applies_to_its_members_at_once():
    coach = CoachFactory()
    coaches = Group.objects.get(name="Coaches")
    assert is_coach(_warm(coach.pk))
    coaches.permissions.remove(*coach_permission())
    assert not is_coach(ModelBackend().get_user(coach.pk))
    coaches.permissions.add(*coach_permission())
    assert is_coach(_warm(coach.pk))
    coaches.user_set.remove(coach)  # from the group's side
    assert not is_coach(ModelBackend().get_user(coach.pk))
    coaches.user_set.add(coach)
    assert is_coach(_warm(coach.pk))
    coaches.delete()
    assert not is_coach(ModelBackend().get_user(coach.pk))


def test_a_deleted_permission_applies_at_once():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert _warm(user.pk).has_perm("wagtailadmin.access_admin")
    Permission.objects.filter(codename="access_admin").delete()  # its link rows go without a signal
    assert not ModelBackend().get_user(user.pk).has_perm("wagtailadmin.access_admin")


def test_profile_edits_and_the_admin_time_zone_apply_at_once(client):
    user = UserFactory(time_zone="America/Chicago")
    assert _warm(user.pk).time_zone == "America/Chicago"
    profile, _ = UserProfile.objects.get_or_create(user=user)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()  # the site's zone follows with a bulk update
    assert ModelBackend().get_user(user.pk).time_zone == "Asia/Tokyo"
    User.objects.filter(pk=user.pk).update(full_name="Renamed")  # a bulk update: no signal
    assert ModelBackend().get_user(user.pk).full_name == "Renamed"


def test_wagtails_bulk_deactivation_signs_the_users_out(client):
    """Wagtail's "set active state" on several users is a bulk update (no signal)."""
    from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

    user = UserFactory()
    client.force_login(user)
    assert _signed_in(client) and _signed_in(client)
    SetActiveStateBulkAction.execute_action([user], mark_as_active=False, user=None)
    assert not _signed_in(client)


def test_a_deleted_user_is_not_loaded():
    user = UserFactory()
    _warm(user.pk)
    user.delete()
    assert ModelBackend().get_user(user.pk) is None


def test_a_copy_read_before_a_change_commits_is_not_served_after_it(django_capture_on_commit_callbacks):
    """A reader that read the row before the writer committed keeps it under a version the
    writer's commit moves on: the next load reads the database again."""
    user = UserFactory(full_name="Before")
    stale = _load(user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk=user.pk).update(full_name="After")
        user_cache.cached_user(user.pk, lambda pk: stale)  # the racing reader stores "Before"
    assert ModelBackend().get_user(user.pk).full_name == "After"


def test_entries_follow_the_secret_key(settings):
    user = UserFactory()
    _warm(user.pk)
    before = user_cache._entry_key(user.pk)
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdefghij"
    assert user_cache._entry_key(user.pk) != before
    assert cache.get(user_cache._entry_key(user.pk)) is None
