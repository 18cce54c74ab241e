"""Existing people: the Wagtail admin's profile zone and the site's zone put in step. An empty
admin zone takes the site's; an admin zone someone chose in Wagtail's account settings is kept and
the site's follows it (the site's may still be the sign-up default)."""

import zoneinfo

from django.db import migrations


def in_step(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    known = zoneinfo.available_timezones()
    chosen = dict(UserProfile.objects.exclude(current_time_zone="").values_list("user_id", "current_time_zone"))
    for user in User.objects.only("pk", "time_zone").iterator():
        zone = chosen.get(user.pk)
        if zone is None and user.time_zone in known:
            UserProfile.objects.update_or_create(user_id=user.pk, defaults={"current_time_zone": user.time_zone})
        elif zone in known and zone != user.time_zone and ("/" in zone or zone == "UTC") and zone[:4] != "Etc/":
            User.objects.filter(pk=user.pk).update(time_zone=zone)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_share_rhythm_with_company"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(in_step, migrations.RunPython.noop)]
