"""Backups: the whole database plus the uploaded media, in one folder, and back again.

A backup is a folder `huddle-<UTC time>/` holding `database.sqlite3` (SQLite's online backup) or
`database.pgdump` (`pg_dump --format=custom`), `media.tar.gz` (MEDIA_ROOT, when media is on local
disk) and `manifest.json` (what, when, and a SHA-256 of every file). A restore checks every digest
before it touches anything, then replaces the database whole (PostgreSQL: `pg_restore` in a single
transaction; SQLite: the online backup API) and the media folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup or restore could not be done; nothing was changed by a restore that raises."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    files: dict[str, str]  # name -> sha256


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    engine = settings.DATABASES[alias]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def _pg_env(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _media_on_disk() -> Path | None:
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if not backend.endswith("FileSystemStorage"):
        return None  # media in a bucket: the bucket's own versioning keeps it
    return Path(settings.MEDIA_ROOT)


def backup_create(*, destination: Path, alias: str = "default") -> Backup:
    """Write a new backup folder under `destination` and return it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(destination) / f"huddle-{stamp}"
    folder.mkdir(parents=True)
    db = settings.DATABASES[alias]
    if _engine(alias) == "sqlite":
        target = folder / "database.sqlite3"
        connection = connections[alias]
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        target = folder / "database.pgdump"
        env, args = _pg_env(db)
        _run(["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(target), str(db["NAME"])], env)
    media = _media_on_disk()
    if media is not None:
        with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname="media")
    files = {path.name: _sha256(path) for path in sorted(folder.iterdir())}
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "engine": _engine(alias),
        "media": "included" if media is not None else "in the storage bucket (not in this backup)",
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return Backup(folder=folder, files=files)


def _verified(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a Huddle backup (no readable {MANIFEST}).") from exc
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (its SHA-256 does not match the manifest).")
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        if member.name != "media" and not member.name.startswith("media/") or ".." in Path(member.name).parts:
            raise BackupError(f"The media archive holds an unexpected path: {member.name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"The media archive holds a link or device: {member.name}")
    return members


def backup_restore(*, folder: Path, alias: str = "default") -> dict:
    """Replace the database and the media folder with the backup's. Every file is checked first;
    a damaged backup raises BackupError before anything is touched."""
    folder = Path(folder)
    manifest = _verified(folder)
    engine = _engine(alias)
    if manifest.get("engine") != engine:
        raise BackupError(f"This backup is of a {manifest.get('engine')} database; this site uses {engine}.")
    media_archive = folder / "media.tar.gz"
    media = _media_on_disk()
    staged = None
    if media is not None and media_archive.exists():
        staged = Path(tempfile.mkdtemp(prefix="huddle-restore-"))
        with tarfile.open(media_archive, "r:gz") as archive:
            archive.extractall(staged, members=_safe_members(archive), filter="data")  # noqa: S202
    db = settings.DATABASES[alias]
    connections[alias].close()
    if engine == "sqlite":
        with sqlite3.connect(folder / "database.sqlite3") as source:
            connection = connections[alias]
            connection.ensure_connection()
            source.backup(connection.connection)
        source.close()
    else:
        env, args = _pg_env(db)
        _run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                str(db["NAME"]),
                str(folder / "database.pgdump"),
            ],
            env,
        )
    if staged is not None:
        media.mkdir(parents=True, exist_ok=True)
        for child in media.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        restored = staged / "media"
        if restored.exists():
            for child in restored.iterdir():
                shutil.move(str(child), media / child.name)
        shutil.rmtree(staged, ignore_errors=True)
    return manifest
