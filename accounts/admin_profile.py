"""The signed-in user's Wagtail profile (`wagtail.users.models.UserProfile`), kept in the shared
cache between the admin's requests (issue 16).

Every Wagtail admin page reads it (`user.wagtail_userprofile`: the theme, contrast and density of
the page, the avatar, the keyboard shortcuts, and the language and time zone the admin's views run
in, `wagtail.admin.localization.get_localized_response`), one query per page. `prefill` puts on the
user, through Django's own reverse one-to-one assignment (`user.wagtail_userprofile = profile`),
what the last admin request of this user read, as a new instance (frozen primitives,
home.core.caching.frozen), when it was read under the current version of the user's profile
(`accounts:profile-version:{pk}`), which moves now and on commit on every save or delete of the
profile (Wagtail's account settings, the dismissibles, a user's deletion) and every bulk update of
it (`time_zones.wagtail_zone_follows`: such code must call `profile_changed(pk)`). A user with no
profile is read, and found missing, once per request (not kept).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.users.models import UserProfile

from home.core.caching.frozen import freeze, thaw
from home.core.caching.versions import bump_versions, current_versions

ENTRY_SECONDS = 6 * 60 * 60
_LOADED_UNDER = "_huddle_profile_loaded_under"  # the profile version read before `load_with_user`


def _version_key(pk) -> str:
    return f"accounts:profile-version:{pk}"


def _entry_key(pk) -> str:
    return f"accounts:profile:{pk}"


def version_keys(pk) -> list[str]:
    """The counter user `pk`'s kept profile is read under (read along with the session)."""
    return [_version_key(pk)] if pk is not None else []


def load_with_user(queryset: QuerySet, pk):
    """The user `pk` of `queryset` (None: none) with her Wagtail profile joined in the same query
    (the per-request user load on a miss of accounts' user cache): a cold admin page then reads no
    profile of its own. The profile's version is read before the row, and the profile is kept
    (`prefill`) under that version only, so a change racing the load is never kept as current."""
    (version,) = current_versions([_version_key(pk)])
    user = queryset.select_related("wagtail_userprofile").filter(pk=pk).first()
    if user is not None:
        setattr(user, _LOADED_UNDER, version)
    return user


def _joined(user) -> bool:
    return get_user_model()._meta.get_field("wagtail_userprofile").is_cached(user)


def prefill(user) -> None:
    """Put on `user` its Wagtail profile, from the shared cache when kept under the current version
    (else from the database, or as the user's own load joined it, then kept)."""
    if not user.is_authenticated:
        return
    loaded_under = getattr(user, _LOADED_UNDER, None)
    if loaded_under is not None and _joined(user):
        profile = getattr(user, "wagtail_userprofile", None)  # read with the user: no query
        if profile is not None:
            cache.set(_entry_key(user.pk), (loaded_under, freeze(profile)), ENTRY_SECONDS)
        return
    (version,) = current_versions([_version_key(user.pk)])
    entry = cache.get(_entry_key(user.pk))
    if type(entry) is tuple and entry[0] == version:
        user.wagtail_userprofile = thaw(entry[1])
        return
    profile = getattr(user, "wagtail_userprofile", None)  # Django's descriptor: a missing one is remembered too
    if profile is None:
        return  # nothing kept: Wagtail finds none, as before
    cache.set(_entry_key(user.pk), (version, freeze(profile)), ENTRY_SECONDS)
    user.wagtail_userprofile = profile


def profile_changed(pk) -> None:
    """Forget user `pk`'s kept profile (now and when the transaction commits)."""
    if pk is not None:
        bump_versions(_version_key(pk))


def _saved_or_deleted(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        profile_changed(instance.user_id)


def connect() -> None:
    post_save.connect(_saved_or_deleted, sender=UserProfile, dispatch_uid="accounts.admin_profile.save")
    post_delete.connect(_saved_or_deleted, sender=UserProfile, dispatch_uid="accounts.admin_profile.delete")
