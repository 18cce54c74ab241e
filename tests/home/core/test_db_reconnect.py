"""The PostgreSQL backend opens a refused connection again for a short, bounded time (the server
is restarting), and fails at once for errors a retry cannot fix (a wrong password)."""

import time

import psycopg
import pytest
from django.db.backends.postgresql import base as django_pg

from home.core.db.postgresql.base import DatabaseWrapper, passing_trouble

SETTINGS = {
    "ENGINE": "home.core.db.postgresql",
    "NAME": "huddle",
    "USER": "postgres",
    "PASSWORD": "",
    "HOST": "127.0.0.1",
    "PORT": "1",
    "OPTIONS": {},
    "TIME_ZONE": None,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": False,
    "AUTOCOMMIT": True,
    "ATOMIC_REQUESTS": False,
    "TEST": {},
}


class _Refusals:
    """Stands in for psycopg's connect: refuses `times` times with `error`, then connects."""

    def __init__(self, times: int, error: Exception):
        self.times, self.error, self.calls = times, error, 0

    def __call__(self, wrapper, conn_params):
        self.calls += 1
        if self.calls <= self.times:
            raise self.error
        return "a connection"


def _starting_up() -> psycopg.OperationalError:
    error = psycopg.errors.CannotConnectNow("the database system is starting up")
    assert error.sqlstate == "57P03"
    return error


def _patch(monkeypatch, refusals: _Refusals) -> None:
    monkeypatch.setattr(
        django_pg.DatabaseWrapper, "get_new_connection", lambda wrapper, params: refusals(wrapper, params)
    )


@pytest.fixture
def pauses(monkeypatch):
    slept = []
    monkeypatch.setattr("home.core.db.postgresql.base.time.sleep", slept.append)
    return slept


def test_refused_while_restarting_then_opened(monkeypatch, pauses):
    refusals = _Refusals(3, psycopg.OperationalError("connection refused"))
    _patch(monkeypatch, refusals)
    assert DatabaseWrapper(SETTINGS).get_new_connection({}) == "a connection"
    assert refusals.calls == 4
    assert pauses == [0.05, 0.1, 0.2]  # backoff


def test_starting_up_is_waited_for_but_only_so_long(monkeypatch, settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 0.4
    refusals = _Refusals(1000, _starting_up())
    _patch(monkeypatch, refusals)
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        DatabaseWrapper(SETTINGS).get_new_connection({})
    assert 0.1 < time.monotonic() - started < 1.0
    assert 3 <= refusals.calls <= 6


def test_wrong_password_fails_at_once(monkeypatch, pauses):
    refusals = _Refusals(1, psycopg.errors.InvalidPassword("password authentication failed"))
    _patch(monkeypatch, refusals)
    with pytest.raises(psycopg.OperationalError):
        DatabaseWrapper(SETTINGS).get_new_connection({})
    assert refusals.calls == 1 and pauses == []


def test_what_counts_as_passing_trouble():
    assert passing_trouble(psycopg.OperationalError("connection refused"))  # no SQLSTATE: nothing answered
    assert passing_trouble(_starting_up())
    assert passing_trouble(psycopg.errors.AdminShutdown("terminating connection"))
    assert not passing_trouble(psycopg.errors.InvalidCatalogName("database does not exist"))
    assert not passing_trouble(psycopg.errors.InvalidPassword("password authentication failed"))


def test_a_real_refused_port_is_retried_then_raised(settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 0.3
    wrapper = DatabaseWrapper(SETTINGS)
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        wrapper.get_new_connection(wrapper.get_connection_params())
    assert time.monotonic() - started >= 0.15
