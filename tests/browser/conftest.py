"""Browser tests: pytest-django's live server driven by the SYSTEM Chromium through Playwright.

Nothing is downloaded: Playwright launches /usr/bin/chromium (Debian's `chromium` package,
installed by `bin/system-deps --browser`). Without it every browser test is skipped with a reason.

Write browser tests like this::

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(page, login, screenshot, axe_check, user):
        login(page, user)
        page.goto("/dashboard/")
        screenshot(page, "dashboard")
        axe_check(page)
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses sync ORM calls from a
# thread with a running loop unless told it is safe. It is: the loop only talks to the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HUDDLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
# axe impacts that fail a test; "moderate" and "minor" are printed but tolerated.
AXE_FAILING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: install Debian's chromium (make browser-deps)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    """One Chromium for the whole session (system binary, never a download)."""
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _wagtail_root(request):
    """Transactional tests flush the database, and with it the rows Wagtail's migrations made
    (the root page, the root collection, the default locale): put them back."""
    if "browser" not in request.keywords:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    yield


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test (own cookies), with relative URLs against the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def login(live_server):
    """`login(page, user)`: give the page's browser context a logged-in session for `user`.

    The session is made by Django's own test client (`force_login`), then its cookie is handed to
    the browser, so tests that are not about logging in don't depend on the log-in form.
    """
    from django.conf import settings
    from django.test import Client

    def _login(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
        )
        return page

    return _login


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: a full-page PNG in tests/artifacts/screenshots/ (gitignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def _screenshot(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.evaluate("window.scrollTo(0, 0)")  # else a sticky header is drawn mid-page
        page.screenshot(path=str(path), full_page=True)
        return path

    return _screenshot


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} node(s)] {v.get('helpUrl', '')}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node.get('target', [])))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """`axe_check(page)`: run axe-core on the page; fail on serious or critical violations.

    Every violation is printed (shown by pytest on failure, or with -s); returns the full list.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page, *, context=None) -> list[dict]:
        results = axe.run(page, context=context)
        violations = results.response["violations"]
        if violations:
            print(f"axe on {page.url}:\n{format_violations(violations)}")
        failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
        assert not failing, f"axe found serious/critical violations on {page.url}:\n{format_violations(failing)}"
        return violations

    return _check
