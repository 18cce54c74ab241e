"""/metrics: never public (404 while METRICS_TOKEN is unset, 403 without the bearer token), the
request, email and registered metrics for whoever holds the token, and a deploy check on the token."""

import pytest
from django.core.mail import EmailMessage
from prometheus_client import REGISTRY

from home.core import metrics
from home.core.mail import email_queue, email_send, email_to_payload

TOKEN = "m" * 40
pytestmark = pytest.mark.django_db


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN])
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 403
    assert b"huddle_" not in response.content and b"django_http" not in response.content


def test_metrics_with_the_token_show_requests_by_view_and_the_runtime(client, settings):
    settings.METRICS_TOKEN = TOKEN
    before = _sample(
        "django_http_responses_total_by_status_view_method_total", status="200", view="home:robots", method="GET"
    )
    client.get("/robots.txt")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    after = _sample(
        "django_http_responses_total_by_status_view_method_total", status="200", view="home:robots", method="GET"
    )
    assert after == before + 1
    assert (
        'django_http_requests_latency_seconds_by_view_method_bucket{le="0.01",method="GET",view="home:robots"}' in text
    )
    assert 'huddle_collector_up{collector="runtime"} 1.0' in text
    assert "huddle_tasks_running 0.0" in text


def test_emails_sent_and_failed_attempts_are_counted(settings):
    sent, failed = _sample("huddle_emails_sent_total"), _sample("huddle_email_attempts_failed_total")
    email_queue(EmailMessage("Your targets", "Body", to=["rep@example.com"]))  # the suite runs tasks at once
    assert _sample("huddle_emails_sent_total") == sent + 1

    settings.EMAIL_BACKEND = "tests.home.core.test_metrics.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        email_send.call(payload=email_to_payload(EmailMessage("Again", "Body", to=["rep@example.com"])))
    assert _sample("huddle_email_attempts_failed_total") == failed + 1
    assert _sample("huddle_emails_sent_total") == sent + 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failing_collector_is_reported_and_the_rest_is_served(client, settings, monkeypatch):
    settings.METRICS_TOKEN = TOKEN

    def broken():
        raise RuntimeError("database away")
        yield  # pragma: no cover

    monkeypatch.setitem(metrics._collectors, "broken", broken)
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'huddle_collector_up{collector="broken"} 0.0' in text
    assert 'huddle_collector_up{collector="runtime"} 1.0' in text


def test_deploy_check_refuses_a_short_token(settings):
    settings.METRICS_TOKEN = "short-token"
    assert [m.id for m in metrics.metrics_token_check()] == ["huddle.W020"]
    settings.METRICS_TOKEN = TOKEN
    assert metrics.metrics_token_check() == []
    settings.METRICS_TOKEN = ""  # metrics off: nothing to protect
    assert metrics.metrics_token_check() == []
