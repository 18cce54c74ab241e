"""Two app server processes, one PostgreSQL and one Redis: a session made on one works on the other.

This is the "several machines" promise in miniature: nothing about a logged-in user lives in a
process's memory. Runs only when DATABASE_URL points at PostgreSQL and Redis answers on
127.0.0.1:6379 (CI has both); otherwise it is skipped with the reason.
"""

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from joserfc.jwk import RSAKey

BASE_DIR = Path(__file__).resolve().parent.parent
# Your own Redis database when REDIS_URL names one (parallel runs must not flush each other's).
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
EMAIL = "two.servers@example.com"
COACH_EMAIL = "coach.two.servers@example.com"
PASSWORD = "one-session-two-processes-77"
SECRET = "multi-process-test-" + "Zx8Lq3Vn6Rt1Wy4Pb7Kd0Hs5Gf2Jm9Uc" * 2

pytestmark = pytest.mark.postgres


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def database_url():
    """A dedicated, freshly created database (never the test run's own)."""
    base = _postgres_url()
    if base is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    if not _redis_answers():
        pytest.skip("needs Redis answering on 127.0.0.1:6379")
    import psycopg

    parts = urllib.parse.urlsplit(base)
    name = (parts.path.lstrip("/") or "huddle") + "_multiproc"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server_env(database_url, tmp_path_factory) -> dict[str, str]:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        CERTIFICATE_SIGNING_KEY=RSAKey.generate_key(2048, private=True).as_pem(private=True).decode(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SECURE_SSL_REDIRECT="False",
        SITE_URL="https://huddle.example.com",
        DEFAULT_FROM_EMAIL="Huddle <hello@huddle-coaching.com>",
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        LOG_LEVEL="WARNING",
        RELEASE="release-1",  # this deploy; a test starts a server of the next one
    )
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        done = subprocess.run(manage + args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    make_user = (
        "from accounts.models import User; from allauth.account.models import EmailAddress; "
        f"u = User.objects.create_user({EMAIL!r}, {PASSWORD!r}, full_name='Jordan Two-Servers'); "
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True); "
        f"c = User.objects.create_superuser({COACH_EMAIL!r}, {PASSWORD!r}, full_name='Casey Coach'); "
        "EmailAddress.objects.create(user=c, email=c.email, verified=True, primary=True)"
    )
    done = subprocess.run(
        manage + ["shell", "-c", make_user], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    yield env
    redis.Redis.from_url(REDIS_URL).flushdb()


def _request(port, method, path, *, headers=None, body=None) -> tuple[int, dict, list[str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, dict(response.getheaders()), response.headers.get_all("Set-Cookie") or [], text
    finally:
        conn.close()


def _cookies(set_cookie_headers: list[str]) -> dict[str, str]:
    return dict(re.match(r"([^=]+)=([^;]*)", h).groups() for h in set_cookie_headers)


def _start(env: dict, port: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"gunicorn on {port} exited: {proc.stderr.read().decode()[-2000:]}"
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            pass
        assert time.monotonic() < deadline, f"gunicorn on {port} did not answer /healthz within 60 s"
        time.sleep(0.3)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def two_servers(server_env):
    ports = [_free_port(), _free_port()]
    while ports[1] == ports[0]:
        ports[1] = _free_port()
    procs = []
    try:
        for port in ports:
            procs.append(_start(server_env, port))
        yield ports
    finally:
        _stop(procs)


# Behind the load balancer every request says it came over HTTPS.
PROXY = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


@dataclass(frozen=True)
class LoggedIn:
    cookies: dict[str, str]  # session and CSRF, to send back
    set_cookie: list[str]  # the log-in answer's Set-Cookie headers, flags included
    location: str  # where the log-in sent the browser

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _log_in(port: int, email: str) -> LoggedIn:
    """Log in through allauth's form on `port`, as the load balancer forwards it (HTTPS)."""
    status, _, set_cookie, page = _request(port, "GET", "/accounts/login/", headers=PROXY)
    assert status == 200
    csrf_cookie = _cookies(set_cookie)["csrftoken"]
    token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD})
    status, headers, set_cookie, _ = _request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            **PROXY,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": "https://127.0.0.1",
            "Referer": "https://127.0.0.1/accounts/login/",
        },
    )
    assert status == 302, f"login did not redirect (status {status})"
    return LoggedIn({"csrftoken": csrf_cookie, **_cookies(set_cookie)}, set_cookie, headers["Location"])


def test_session_made_on_one_server_is_valid_on_the_other(two_servers):
    port_a, port_b = two_servers
    logged_in = _log_in(port_a, EMAIL)
    assert logged_in.location.endswith("/dashboard/")
    session = logged_in.cookies["sessionid"]
    assert any("sessionid=" in h and "Secure" in h and "HttpOnly" in h for h in logged_in.set_cookie)

    # The other process knows the session: the dashboard greets the user.
    status, _, _, page = _request(port_b, "GET", "/dashboard/", headers={**PROXY, "Cookie": f"sessionid={session}"})
    assert status == 200
    assert "Jordan" in page

    # Without the cookie, the same process sends the visitor to log in.
    status, headers, _, _ = _request(port_b, "GET", "/dashboard/", headers=PROXY)
    assert status == 302 and "/accounts/login/" in headers["Location"]


def _shell(server_env, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_publish_anywhere_reaches_the_pages_each_process_keeps(server_env, two_servers):
    """Each process keeps sites, routes and pages in memory under version counters that live in
    Redis: an edit published by a third process shows on both servers at once, and so does an
    unpublish."""
    _shell(
        server_env,
        "from wagtail.models import Site; from home.models import StandardPage; "
        "root = Site.objects.get(is_default_site=True).root_page; "
        "page = StandardPage(title='Kept in memory', slug='kept'); root.add_child(instance=page); "
        "page.save_revision().publish()",
    )
    # Anonymous requests: the page cache is in play too, and must forget with everything else.
    for port in two_servers:
        for _ in range(3):  # routed, then from the cached route, then from each process's memo
            status, _, _, page = _request(port, "GET", "/kept/", headers=PROXY)
            assert status == 200 and "Kept in memory" in page

    _shell(
        server_env,
        "from home.models import StandardPage; page = StandardPage.objects.get(slug='kept'); "
        "page.title = 'Published elsewhere'; page.save_revision().publish()",
    )
    for port in two_servers:
        status, _, _, page = _request(port, "GET", "/kept/", headers=PROXY)
        assert status == 200 and "Published elsewhere" in page and "Kept in memory" not in page

    _shell(server_env, "from home.models import StandardPage; StandardPage.objects.get(slug='kept').unpublish()")
    for port in two_servers:
        assert _request(port, "GET", "/kept/", headers=PROXY)[0] == 404


def _publish_standard_page(server_env, slug: str, title: str) -> int:
    out = _shell(
        server_env,
        "from wagtail.models import Site; from home.models import StandardPage; "
        "root = Site.objects.get(is_default_site=True).root_page; "
        f"page = StandardPage(title={title!r}, slug={slug!r}); root.add_child(instance=page); "
        "page.save_revision().publish(); print(page.pk)",
    )
    return int(out.strip().splitlines()[-1])


def test_a_privacy_restriction_saved_on_one_server_holds_on_the_other_at_once(server_env, two_servers):
    """The coach makes a page private in Wagtail's admin on server A; server B, which had the public
    page in its page cache and memo, sends the next anonymous visitor to log in."""
    port_a, port_b = two_servers
    page_id = _publish_standard_page(server_env, "soon-private", "Soon private")
    for port in two_servers:
        for _ in range(3):  # rendered, then from the page cache
            status, headers, _, page = _request(port, "GET", "/soon-private/", headers=PROXY)
            assert status == 200 and "Soon private" in page
        assert headers.get("X-Page-Cache") == "hit"

    cookie_header = _log_in(port_a, COACH_EMAIL).cookie_header
    privacy_url = f"/admin/pages/{page_id}/privacy/"
    status, _, _, modal = _request(port_a, "GET", privacy_url, headers={**PROXY, "Cookie": cookie_header})
    assert status == 200
    token = html.unescape(re.search(r'name=\\?"csrfmiddlewaretoken\\?" value=\\?"([^"\\]+)', modal).group(1))
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "restriction_type": "login"})
    status, _, _, answer = _request(
        port_a,
        "POST",
        privacy_url,
        body=form,
        headers={
            **PROXY,
            "Cookie": cookie_header,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://127.0.0.1",
            "Referer": f"https://127.0.0.1{privacy_url}",
        },
    )
    assert status == 200 and "set_privacy_done" in answer, answer[:500]

    for port in (port_b, port_a):
        status, headers, _, _ = _request(port, "GET", "/soon-private/", headers=PROXY)
        # Wagtail's page-privacy door (which hands over to allauth's form), back to the page after.
        assert status == 302 and "login/?next=/soon-private/" in headers["Location"], (port, status)


def test_a_new_release_starts_with_fresh_keys_and_shares_the_counters(server_env, two_servers):
    """A deploy (a new RELEASE) reads none of the old release's cache entries, while a publish on
    either release still reaches both: the counters are shared, the keys are not."""
    _publish_standard_page(server_env, "deployed", "Before the deploy")
    for port in two_servers:
        for _ in range(3):
            assert "Before the deploy" in _request(port, "GET", "/deployed/", headers=PROXY)[3]
    # A change no receiver sees (a raw update): the old release keeps serving what it cached...
    _shell(server_env, "from wagtail.models import Page; Page.objects.filter(slug='deployed').update(title='Raw')")
    for port in two_servers:
        assert "Before the deploy" in _request(port, "GET", "/deployed/", headers=PROXY)[3]
    # ...and the new release, sharing the same Redis, builds its own entries from the database.
    new_port = _free_port()
    new = _start({**server_env, "RELEASE": "release-2"}, new_port)
    try:
        status, _, _, page = _request(new_port, "GET", "/deployed/", headers=PROXY)
        assert status == 200 and "Raw" in page and "Before the deploy" not in page
        # A publish made by a process of the new release moves the counters both releases read.
        _shell(
            {**server_env, "RELEASE": "release-2"},
            "from home.models import StandardPage; page = StandardPage.objects.get(slug='deployed'); "
            "page.title = 'After the deploy'; page.save_revision().publish()",
        )
        for port in (*two_servers, new_port):
            page = _request(port, "GET", "/deployed/", headers=PROXY)[3]
            assert "After the deploy" in page, port
    finally:
        _stop([new])


def test_a_head_of_a_cached_page_is_answered_with_the_gets_headers_and_no_body(server_env, two_servers):
    """gunicorn in front of config/wsgi.py's page-cache layer: a HEAD gets the GET's headers (its
    Content-Length too) and no body; a query string still goes to Django."""
    _publish_standard_page(server_env, "head-check", "Head check")
    port = two_servers[0]
    for _ in range(3):  # rendered, from the middleware, from the WSGI layer
        status, get_headers, _, page = _request(port, "GET", "/head-check/", headers=PROXY)
    assert status == 200 and get_headers["X-Page-Cache"] == "hit" and "Head check" in page
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("HEAD", "/head-check/", headers=PROXY)
        response = conn.getresponse()
        head_headers, body = dict(response.getheaders()), response.read()
    finally:
        conn.close()
    assert response.status == 200 and body == b""
    drop = {"X-Request-ID", "Date"}
    assert {k: v for k, v in head_headers.items() if k not in drop} == {
        k: v for k, v in get_headers.items() if k not in drop
    }
    assert int(head_headers["Content-Length"]) == len(page.encode())
    assert "X-Page-Cache" not in _request(port, "GET", "/head-check/?from=mail", headers=PROXY)[1]
