"""Redis stopped for a while (a server this test starts itself on its own port): the home page, a
lesson page, login and /healthz keep answering, and a logged-in user stays logged in."""

import json
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from tests.lessons.factories import enrol, make_course, make_lesson

pytestmark = [pytest.mark.django_db]
REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    if REDIS is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield port, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(5)


@pytest.fixture
def redis_settings(settings, own_redis):
    """The production cache and session settings (config.settings.base with REDIS_URL)."""
    port, proc = own_redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/9",
            "KEY_PREFIX": "huddle",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    settings.SESSION_ENGINE = "accounts.sessions"  # cached_db, read through quick_read
    settings.PAGE_CACHE_SECONDS = 300
    return proc


def test_pages_health_and_sessions_survive_a_redis_outage(client, home_page, redis_settings, user):
    course, modules, lessons = make_course(home_page, modules=1, lessons=1)
    lesson = make_lesson(modules[0], title="Open", body=[("text", "<p>OPEN words</p>")], free_preview=True)
    enrol(user, course)
    client.force_login(user)
    anonymous = client.__class__()
    assert anonymous.get("/").status_code == 200
    assert json.loads(client.get("/healthz").content)["cache"] == "ok"

    redis_settings.terminate()
    redis_settings.wait(5)
    started = time.monotonic()
    for _ in range(3):
        assert anonymous.get("/").status_code == 200
        assert anonymous.get(lesson.url).status_code == 200
        assert client.get(lesson.url).status_code == 200  # still logged in: session from the database
        assert b"OPEN words" in client.get(lesson.url).content
        health = client.get("/healthz")
        assert health.status_code == 503
        body = json.loads(health.content)
        assert body["down"] == ["cache"] and body["database"] == "ok"
        assert "worker" in body["processes"]
    # Rate-limited form (its counter lives in the cache): degrades to "let through", not a 500.
    response = anonymous.post("/newsletter/subscribe/", {"email": "outage@example.com", "source": "footer"})
    assert response.status_code in (200, 302)
    assert time.monotonic() - started < 20  # short socket timeouts: no hanging requests
    cache.clear()  # ignored error, not raised
