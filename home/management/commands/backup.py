from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.core.backup import BackupError, backup_create
from home.core.backup_s3 import backup_to_s3, is_s3_url


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded media into a new folder under --to: a local folder "
        "(default var/backups) or s3://bucket/prefix."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(Path(settings.VAR_DIR) / "backups"), help="Where to write it.")

    def handle(self, *args, to, **options):
        try:
            if is_s3_url(to):
                self.stdout.write(f"Backed up to {backup_to_s3(url=to)}")
                return
            backup = backup_create(destination=Path(to))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {backup.folder} ({', '.join(backup.files)})")
