"""The coach role comes from permissions: the "coach" permission goes to a Coaches group (with
Wagtail admin access), to Wagtail's own Editors and Moderators groups, and every active staff
account that was the coach before joins Coaches, so nobody loses the role on deploy."""

from django.db import migrations

COACHES = "Coaches"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    user_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    coach, _ = Permission.objects.get_or_create(
        content_type=user_type,
        codename="coach",
        defaults={"name": "Coach: see every learner's progress and read every lesson in full"},
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    coaches, _ = Group.objects.get_or_create(name=COACHES)
    coaches.permissions.add(coach, access_admin)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(coach)
    for user in User.objects.filter(is_staff=True, is_active=True):
        user.groups.add(coaches)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_coach_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
