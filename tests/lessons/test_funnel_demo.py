"""The demo funnel: after seed_demo (run twice), the past webinar shows a purchase with its
revenue and a newsletter reader who bought without a webinar."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from lessons.reports.funnel import funnel_report
from program.models import Enrollment
from program.payments.models import Payment
from program.webinars.models import WebinarRegistration

pytestmark = pytest.mark.django_db


def test_the_demo_funnel_shows_enrolments_and_revenue(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = [M.objects.count() for M in (Payment, Enrollment, WebinarRegistration)]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [M.objects.count() for M in (Payment, Enrollment, WebinarRegistration)] == first

    today = timezone.localdate()
    report = funnel_report(start=today - timedelta(days=60), end=today)
    total = report.total
    assert [p.name for p in total.people["enrolled_30"]] == ["Riley Chen"]
    riley = total.people["enrolled_30"][0]
    assert riley.attended and riley.days_to_convert == 6 and riley.converted_how == "Bought"
    price = Payment.objects.get(checkout_session_id="cs_demo_funnel_riley").amount
    assert total.revenue == {"usd": price} and price > 0
    assert [p.name for p in total.people["subscriber_direct"]] == ["Priya Nair"]

    client.login(email="coach@huddle.test", password="rockstar-demo-2026")
    html = client.get("/coach/funnel/", {"show": "enrolled_30", "row": "all"}).content.decode()
    assert "Riley Chen" in html
