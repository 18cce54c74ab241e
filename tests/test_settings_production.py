"""Production settings: `check --deploy` is clean, and a missing secret stops start-up by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

BASE_DIR = Path(__file__).resolve().parent.parent
TEST_SIGNING_KEY = RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()
SECRET = "test-only-" + "k7Qp2xVz9LmN4bRt8YwE3cHs6JfUa1Gd5TnXo0KiMe" * 2


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_KEY", "DATABASE_URL", "CERTIFICATE_SIGNING_KEY"))
    }
    clean.pop("ALLOWED_HOSTS", None)
    for name in ("REDIS_URL", "SITE_URL", "DEFAULT_FROM_EMAIL"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=config.settings.production"],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return {
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "huddle.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SITE_URL": "https://huddle.example.com",
        "DEFAULT_FROM_EMAIL": "Huddle <hello@huddle-coaching.com>",
        "CERTIFICATE_SIGNING_KEY": TEST_SIGNING_KEY,
    }


def test_check_deploy_passes_with_zero_warnings(production_env):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "variable",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "REDIS_URL",
        "SITE_URL",
        "DEFAULT_FROM_EMAIL",
        "CERTIFICATE_SIGNING_KEY",
    ],
)
def test_missing_production_variable_stops_start_up_naming_it(production_env, variable):
    del production_env[variable]
    result = _manage("check", env=production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {variable} is required" in result.stderr


def test_empty_secret_key_counts_as_missing(production_env):
    production_env["SECRET_KEY"] = ""
    result = _manage("check", env=production_env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SITE_URL", "http://localhost:8000"),
        ("SITE_URL", "https://127.0.0.1"),
        ("SITE_URL", "http://huddle.example.com"),
        ("DEFAULT_FROM_EMAIL", "Huddle <hello@huddle.localhost>"),
    ],
)
def test_production_refuses_a_development_address(production_env, variable, value):
    production_env[variable] = value
    result = _manage("check", env=production_env)
    assert result.returncode != 0
    assert f"{variable} must be" in result.stderr


def test_production_postgres_keeps_the_timeouts_the_retrying_engine_and_jit_off(production_env):
    """production.py once rebuilt DATABASES from the URL and dropped what base.py adds."""
    production_env["DATABASE_URL"] = "postgres://huddle@db.invalid:5432/huddle"
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['OPTIONS'])"
    result = _manage("shell", "-c", code, env=production_env)
    assert result.returncode == 0, result.stderr
    assert "home.core.db.postgresql" in result.stdout
    for option in ("-c statement_timeout=30000", "-c idle_in_transaction_session_timeout=60000", "-c jit=off"):
        assert option in result.stdout


def _database_setting(production_env, code: str) -> str:
    result = _manage("shell", "-c", f"from django.conf import settings; print({code})", env=production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_keeps_sqlite_connections_between_requests(production_env):
    """Issue 16: `make bench` serves SQLite under production settings; reopening the connection on
    every request (base.py's development rule) cost the lesson page ~5 ms of CPU a request."""
    assert _database_setting(production_env, "settings.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert _database_setting(production_env, "settings.DATABASES['default']['CONN_MAX_AGE']") == "60"
    production_env["CONN_MAX_AGE"] = "30"
    assert _database_setting(production_env, "settings.DATABASES['default']['CONN_MAX_AGE']") == "30"


def test_production_keeps_postgresql_connections_and_options(production_env):
    production_env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/huddle_unused"
    assert _database_setting(production_env, "settings.DATABASES['default']['CONN_MAX_AGE']") == "60"
    options = _database_setting(production_env, "settings.DATABASES['default']['OPTIONS']['options']")
    assert "jit=off" in options and "statement_timeout" in options


def test_production_postgresql_binds_on_the_server_unless_turned_off(production_env):
    """Issue 16: server-side binding lets psycopg prepare a repeated statement once per connection."""
    production_env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/huddle_unused"
    code = "[settings.DATABASES['default']['OPTIONS'].get(k) for k in ('server_side_binding', 'prepare_threshold')]"
    assert _database_setting(production_env, code) == "[True, 5]"
    production_env["DB_SERVER_SIDE_BINDING"] = "False"
    assert _database_setting(production_env, code) == "[None, None]"
