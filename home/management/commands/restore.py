from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home.core.backup import BackupError, backup_restore
from home.core.backup_s3 import is_s3_url, restore_from_s3


class Command(BaseCommand):
    help = "Replace the database and the uploaded media with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="The backup folder (huddle-<time>), local or s3://bucket/prefix/huddle-<time>/."
        )
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        if not yes and input(f"Replace ALL data with the backup in {folder}? Type 'yes': ").strip() != "yes":
            raise CommandError("Nothing was restored.")
        try:
            manifest = restore_from_s3(url=folder) if is_s3_url(folder) else backup_restore(folder=Path(folder))
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was restored.") from exc
        self.stdout.write(f"Restored the backup made at {manifest['created_at']}.")
