"""The bench's throwaway database."""

import shutil
import subprocess

BENCH_POSTGRES = "postgres://postgres@127.0.0.1:5432/huddle_bench"


def throwaway_postgres() -> str:
    """The issue's numbers are PostgreSQL's: a fresh `huddle_bench` database on this machine's
    PostgreSQL (127.0.0.1:5432, as in CI) when it answers, else "" (SQLite in the temp folder)."""
    if shutil.which("psql") is None:
        return ""
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"]
    try:
        subprocess.run([*psql, "DROP DATABASE IF EXISTS huddle_bench"], check=True, capture_output=True, timeout=60)  # noqa: S603
        subprocess.run([*psql, "CREATE DATABASE huddle_bench"], check=True, capture_output=True, timeout=60)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return ""
    return BENCH_POSTGRES
