"""One safe CSV writer: no CSV the project produces carries a cell a spreadsheet would run as a
formula, the Wagtail admin's subscriber export included."""

import csv
import io

import pytest
from django.urls import reverse

from home.core.spreadsheet import safe_writer
from home.newsletter.models import NewsletterSubscriber
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_the_safe_writer_quotes_formula_cells_and_keeps_numbers():
    out = io.StringIO()
    safe_writer(out).writerow([*FORMULAS, -5, 3.5, None, "plain"])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert all(cell.startswith("'") for cell in row[: len(FORMULAS)])
    assert row[len(FORMULAS) :] == ["-5", "3.5", "", "plain"]


def test_the_admin_subscriber_export_is_formula_safe(client, home_page):
    for n, name in enumerate(FORMULAS):
        NewsletterSubscriber.objects.create(email=f"s{n}@example.com", first_name=name, source="=cmd|' /C calc'!A0")
    client.force_login(StaffFactory())
    response = client.get(reverse("newsletter_subscribers:index") + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert len(rows) == len(FORMULAS)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
