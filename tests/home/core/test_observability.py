"""Request ids on every response and log line; Sentry only with a DSN, and without personal data."""

import logging

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.urls import path

from home.core.observability import scrub, sentry_init

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("something broke")


def fine(request):
    logging.getLogger("huddle.test").warning("inside the view")
    return HttpResponse("ok")


urlpatterns = [path("boom/", boom), path("fine/", fine)]


def test_every_response_carries_a_request_id_and_the_log_lines_name_it(client, home_page, caplog):
    first, second = client.get("/"), client.get("/")
    assert first["X-Request-ID"] and second["X-Request-ID"] and first["X-Request-ID"] != second["X-Request-ID"]
    given = client.get("/", HTTP_X_REQUEST_ID="from-the-load-balancer")
    assert given["X-Request-ID"] == "from-the-load-balancer"


def test_log_lines_inside_a_request_carry_its_id(client, settings, caplog):
    settings.ROOT_URLCONF = __name__
    from home.core.observability import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())  # as the console handler has it in LOGGING
    with caplog.at_level(logging.WARNING, logger="huddle.test"):
        response = client.get("/fine/", HTTP_X_REQUEST_ID="abc123")
    record = next(r for r in caplog.records if r.getMessage() == "inside the view")
    assert record.correlation_id == response["X-Request-ID"] == "abc123"


class Captured(sentry_sdk.transport.Transport):
    events: list = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def sentry():
    Captured.events = []
    sentry_init(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        release="r1",
        traces_sample_rate=0.0,
        transport=Captured,
    )
    yield Captured.events
    sentry_sdk.init()  # off again


def test_an_error_reaches_sentry_without_personal_data(sentry, client, settings, user):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(user)
    client.get("/boom/?email=someone@example.com", HTTP_COOKIE="sessionid=secret", HTTP_X_REQUEST_ID="req-9")
    sentry_sdk.flush()
    event = next(e for e in sentry if e.get("exception"))
    assert event["exception"]["values"][-1]["value"] == "something broke"
    text = str(event)
    assert user.email not in text and "someone@example.com" not in text and "secret" not in text
    assert "user" not in event and "cookies" not in event.get("request", {})


def test_scrub_keeps_the_path_and_drops_the_rest():
    event = {
        "request": {
            "url": "https://x/p",
            "method": "POST",
            "data": {"a": 1},
            "cookies": {"s": 1},
            "query_string": "q=1",
            "headers": {"Cookie": "s=1", "User-Agent": "ua", "Authorization": "t"},
        },
        "user": {"email": "a@b.c"},
    }
    assert scrub(event) == {"request": {"url": "https://x/p", "method": "POST", "headers": {"User-Agent": "ua"}}}
