"""Backups: back up the demo, wipe it, restore it, and the leader's data and a certificate PDF
are back. Runs `manage.py` in a subprocess against a database of its own (a SQLite file, or a
fresh PostgreSQL database when DATABASE_URL points at PostgreSQL)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

CHECK = (
    "import json; from django.core.files.storage import default_storage as s; "
    "from accounts.models import User; from tracker.models import Result; "
    "from program.certificates.models import Certificate; "
    "c = Certificate.objects.select_related('user').filter(user__email='graduate@huddle.test').first(); "
    "c and c.pdf or (c and __import__('program.certificates.services', fromlist=['x']).certificate_pdf(certificate=c)); "
    "c = c and Certificate.objects.get(pk=c.pk); "
    "print(json.dumps({'users': User.objects.count(), 'results': Result.objects.count(), "
    "'leader_results': Result.objects.filter(member__team__leader__email='leader@huddle.test').count(), "
    "'certificate': c and c.code, 'pdf': c and c.pdf.name, "
    "'pdf_size': c and s.exists(c.pdf.name) and s.size(c.pdf.name)}))"
)


@pytest.fixture
def site_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(MEDIA_ROOT=str(tmp_path / "media"), DJANGO_SETTINGS_MODULE="config.settings.base", LOG_LEVEL="WARNING")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"huddle_backup_{uuid.uuid4().hex[:8]}"
        server = url.rsplit("/", 1)[0]
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = f"{server}/{name}"
        yield env
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
        yield env


def manage(env, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def state(env) -> dict:
    return json.loads(manage(env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1])


def test_backup_wipe_restore_brings_the_demo_back(site_env, tmp_path):
    manage(site_env, "migrate", "--noinput", "-v0")
    manage(site_env, "seed_demo")
    before = state(site_env)
    assert before["leader_results"] > 0 and before["certificate"] and before["pdf_size"] > 1000
    pdf_bytes = (tmp_path / "media" / before["pdf"]).read_bytes()

    out = manage(site_env, "backup", "--to", str(tmp_path / "backups")).stdout
    folder = Path(out.split("Backed up to ", 1)[1].split(" (", 1)[0])
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "media.tar.gz"}

    manage(site_env, "flush", "--noinput")  # the disaster
    for path in (tmp_path / "media").rglob("*.pdf"):
        path.unlink()
    assert state(site_env)["users"] == 0

    manage(site_env, "restore", str(folder), "--yes")
    after = state(site_env)
    assert after == before
    assert (tmp_path / "media" / before["pdf"]).read_bytes() == pdf_bytes


def test_a_damaged_backup_is_refused_and_changes_nothing(site_env, tmp_path):
    manage(site_env, "migrate", "--noinput", "-v0")
    out = manage(site_env, "backup", "--to", str(tmp_path / "backups")).stdout
    folder = Path(out.split("Backed up to ", 1)[1].split(" (", 1)[0])
    database = next(p for p in folder.iterdir() if p.name.startswith("database."))
    database.write_bytes(database.read_bytes()[:-10] + b"0123456789")
    manage(site_env, "shell", "-c", "from accounts.models import User; User.objects.create_user('kept@example.com')")
    result = manage(site_env, "restore", str(folder), "--yes", check=False)
    assert result.returncode != 0 and "damaged" in result.stderr and "Nothing was restored" in result.stderr
    assert state(site_env)["users"] == 1
