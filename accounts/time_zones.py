"""One time zone per person. The site shows times in `User.time_zone`; the Wagtail admin shows
them (go-live and expiry dates, the newsletter's schedule) in its own profile's
`current_time_zone`, or in settings.TIME_ZONE when that is empty. Both are kept in step, both ways:
a change on the site's profile moves the admin's, a change in the admin's account settings moves
the site's. Each side writes only when the other differs, so neither loops.
"""

from wagtail.admin.localization import get_available_admin_time_zones
from wagtail.users.models import UserProfile

from .admin_profile import profile_changed
from .models import TIME_ZONE_CHOICES, User
from .user_cache import user_changed

SITE_ZONES = frozenset(value for value, _ in TIME_ZONE_CHOICES)


def _saved(field: str, update_fields, raw: bool) -> bool:
    return not raw and (update_fields is None or field in update_fields)


def wagtail_zone_follows(sender, instance: User, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    zone = instance.time_zone
    if not _saved("time_zone", update_fields, raw) or zone not in get_available_admin_time_zones():
        return
    profile, made = UserProfile.objects.get_or_create(user=instance, defaults={"current_time_zone": zone})
    if not made and profile.current_time_zone != zone:
        UserProfile.objects.filter(pk=profile.pk).update(current_time_zone=zone)
        profile_changed(instance.pk)  # a bulk update sends no signal: the kept profile goes by hand


def site_zone_follows(sender, instance: UserProfile, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    zone = instance.current_time_zone
    if not _saved("current_time_zone", update_fields, raw) or zone not in SITE_ZONES:
        return
    if User.objects.filter(pk=instance.user_id).exclude(time_zone=zone).update(time_zone=zone):
        user_changed(instance.user_id)  # a bulk update sends no signal: the kept user goes by hand


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(wagtail_zone_follows, sender=User, dispatch_uid="accounts.wagtail_zone_follows")
    post_save.connect(site_zone_follows, sender=UserProfile, dispatch_uid="accounts.site_zone_follows")
