"""Backups straight to an S3 bucket (AWS or any S3-compatible store) and back: `manage.py backup
--to s3://bucket/prefix` and `manage.py restore s3://bucket/prefix/huddle-<time>/`.

The backup folder is made as usual (home.core.backup) in a temporary folder, then each file is
uploaded under `<prefix>/huddle-<time>/`, the manifest last: an upload cut short has no manifest
and is refused as "not a Huddle backup". A restore downloads the folder and hands it to
`backup_restore`, which checks every SHA-256 against the manifest before it touches anything.
Credentials come from boto3's own lookup (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance
role...); BACKUP_S3_ENDPOINT_URL (default: the media's AWS_S3_ENDPOINT_URL) names another provider.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .backup import MANIFEST, BackupError, backup_create, backup_restore


def is_s3_url(value: str) -> bool:
    return str(value).startswith("s3://")


def _bucket_and_prefix(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise BackupError(f"Not an s3://bucket/prefix address: {url!r}")
    return parts.netloc, parts.path.strip("/")


def _client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=getattr(settings, "BACKUP_S3_ENDPOINT_URL", "") or None,
        region_name=getattr(settings, "BACKUP_S3_REGION_NAME", "") or None,
    )


def backup_to_s3(*, url: str) -> str:
    """Back up into the bucket; returns the backup's s3:// address (its folder)."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = _bucket_and_prefix(url)
    with tempfile.TemporaryDirectory(prefix="huddle-backup-") as tmp:
        backup = backup_create(destination=Path(tmp))
        folder = f"{prefix}/{backup.folder.name}" if prefix else backup.folder.name
        names = sorted(backup.files) + [MANIFEST]  # the manifest last: it marks a finished upload
        try:
            client = _client()
            for name in names:
                client.upload_file(str(backup.folder / name), bucket, f"{folder}/{name}")
        except (BotoCoreError, ClientError) as exc:
            raise BackupError(f"Could not upload to s3://{bucket}/{folder}/: {exc}") from exc
    return f"s3://{bucket}/{folder}/"


def restore_from_s3(*, url: str) -> dict:
    """Download the backup folder at `url` and restore it (every digest checked first)."""
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, folder = _bucket_and_prefix(url)
    if not folder:
        raise BackupError("Name the backup folder: s3://bucket/prefix/huddle-<time>/")
    with tempfile.TemporaryDirectory(prefix="huddle-restore-") as tmp:
        local = Path(tmp) / folder.rsplit("/", 1)[-1]
        local.mkdir()
        try:
            client = _client()
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{folder}/")
            keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
            for key in keys:
                name = key.rsplit("/", 1)[-1]
                if name and "/" not in key[len(folder) + 1 :]:
                    client.download_file(bucket, key, str(local / name))
        except (BotoCoreError, ClientError) as exc:
            raise BackupError(f"Could not download s3://{bucket}/{folder}/: {exc}") from exc
        return backup_restore(folder=local)
