import secrets

from django.db import migrations, models

import program.certificates.models


def give_each_certificate_its_own_salt(apps, schema_editor):
    # AddField evaluates the default once: every existing row would share one salt.
    Certificate = apps.get_model("certificates", "Certificate")
    for certificate in Certificate.objects.only("pk").iterator():
        Certificate.objects.filter(pk=certificate.pk).update(recipient_salt=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="recipient_salt",
            field=models.CharField(
                default=program.certificates.models.new_recipient_salt, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(give_each_certificate_its_own_salt, migrations.RunPython.noop),
    ]
