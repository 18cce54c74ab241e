"""`make run PORT=...`: the demo loader and every process it starts build links (emails, the demo
certificate's "verify at" line) for the address the site is served at, not the settings' port 8000."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _seen_by(variable: str, target: str, command: str, *make_args: str, given: str = "") -> str:
    """Dry-run `make <target>`, take the line that runs `command`, and run its environment
    assignments in front of `printenv <variable>` instead of the command (`given`: the variable
    already set in the environment)."""
    env = {k: v for k, v in os.environ.items() if k not in {variable, "MAKEFLAGS", "MAKELEVEL"}}
    if given:
        env[variable] = given
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", target, *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [line for line in dry.splitlines() if command in line]
    assignments = line.split(".venv/bin/")[0]
    return subprocess.run(
        ["sh", "-c", f"{assignments} printenv {variable}"], env=env, capture_output=True, text=True
    ).stdout.strip()


def _site_url_seen_by(target: str, command: str, *make_args: str, site_url: str = "") -> str:
    return _seen_by("SITE_URL", target, command, *make_args, given=site_url)


@pytest.mark.parametrize("command", ["honcho -f Procfile.dev start", "manage.py seed_demo"])
def test_make_run_gives_the_served_address_to_the_demo_and_the_processes(command):
    assert _site_url_seen_by("run", command, "PORT=8123") == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    ("target", "command"),
    [("serve", "manage.py runserver"), ("worker", "manage.py run_worker"), ("scheduler", "manage.py run_scheduler")],
)
def test_the_single_process_targets_use_the_port_too(target, command):
    assert _site_url_seen_by(target, command, "PORT=8124") == "http://127.0.0.1:8124"


def test_a_site_url_from_the_environment_wins():
    seen = _site_url_seen_by("run", "honcho", "PORT=8123", site_url="https://huddle.example.com")
    assert seen == "https://huddle.example.com"


@pytest.mark.parametrize("command", ["honcho -f Procfile.dev start", "manage.py seed_demo"])
def test_make_run_gives_its_processes_one_shared_cache_folder(command):
    assert _seen_by("CACHE_DIR", "run", command) == str(ROOT / "var" / "cache")


def test_a_version_moved_by_one_process_is_seen_by_another_through_the_cache_folder(tmp_path):
    """What `make run` relies on: the worker or scheduler moves a cache version, the web server sees it."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(CACHE_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "from home.core.caching.page_cache import bump_page_cache, page_cache_version; "
        "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]); {}"
    )

    def run(statement: str) -> list[str]:
        result = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code.format(statement)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-2:]

    backend, before = run("print(page_cache_version())")
    assert backend == "FileBasedCache"
    assert run("print(page_cache_version())")[1] == before  # a second process reads the same counter
    run("bump_page_cache()")
    assert run("print(page_cache_version())")[1] != before
