"""The learner dashboard's one query also counts the leader's valid certificates and settled
payments: with none, the certificates and billing panels are hidden without a query of their own;
with some (a certificate even without an enrollment, a refunded payment) each panel still shows
them, and another leader's never count. The same query reads the valid certificates themselves, so
the certificates panel never has a query of its own (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from program.certificates.models import Certificate
from program.certificates.services import certificate_issue
from program.payments.models import Payment
from tests.factories import UserFactory
from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db


def _dashboard(client) -> tuple[str, list[str]]:
    client.get("/dashboard/")  # warm
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dashboard/").content.decode()
    return html, [q["sql"] for q in queries.captured_queries]


def _own_query(sqls: list[str], table: str) -> bool:
    """A query of the panel's own (the dashboard's UNION mentions the table only in a COUNT)."""
    return any(f'FROM "{table}"' in sql and "UNION ALL" not in sql for sql in sqls)


def _payment(user, program, status, n):
    return Payment.objects.create(
        checkout_session_id=f"cs_{n}", user=user, program=program, status=status, amount=49700, currency="usd"
    )


def test_none_on_file_hides_both_panels_without_their_queries(client, home_page):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    leader, other = UserFactory(), UserFactory()
    enrol(leader, program)
    certificate_issue(user=other, program=program, notify=False)  # another leader's
    _payment(other, program, Payment.Status.PAID, 1)
    _payment(leader, program, Payment.Status.PENDING, 2)  # never paid: not shown
    client.force_login(leader)
    html, sqls = _dashboard(client)
    assert "Your certificates" not in html and "Billing" not in html
    assert not _own_query(sqls, "certificates_certificate") and not _own_query(sqls, "payments_payment")


def test_a_certificate_and_a_refunded_payment_still_show(client, home_page):
    program, _, _ = make_course(home_page, modules=1, lessons=1)
    leader = UserFactory()  # not enrolled: the learning panel is hidden, the count still made
    certificate = certificate_issue(user=leader, program=program, notify=False)
    _payment(leader, program, Payment.Status.REFUNDED, 1)
    client.force_login(leader)
    html, sqls = _dashboard(client)
    assert "Your certificates" in html and "Billing" in html and "497.00 USD" in html
    assert not _own_query(sqls, "certificates_certificate") and _own_query(sqls, "payments_payment")
    assert f"/certificates/{certificate.code}/" in html
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    html, sqls = _dashboard(client)
    assert "Your certificates" not in html and not _own_query(sqls, "certificates_certificate")


def test_the_certificates_panel_shows_the_unions_rows_newest_first_and_each_change_at_once(client, home_page):
    import datetime as dt

    first, _, _ = make_course(home_page, modules=1, lessons=1, slug="first")
    second, _, _ = make_course(home_page, modules=1, lessons=1, slug="second")
    leader, other = UserFactory(), UserFactory()
    enrol(leader, first)
    older = certificate_issue(user=leader, program=first, notify=False)
    Certificate.objects.filter(pk=older.pk).update(completed_on=dt.date(2025, 3, 4), program_title="First course")
    theirs = certificate_issue(user=other, program=second, notify=False)
    client.force_login(leader)
    html, sqls = _dashboard(client)
    assert "First course" in html and "completed Mar 4, 2025" in html and theirs.code not in html
    assert not _own_query(sqls, "certificates_certificate")
    newer = certificate_issue(user=leader, program=second, notify=False)  # shows on the very next request
    Certificate.objects.filter(pk=newer.pk).update(completed_on=dt.date(2026, 5, 6), program_title="Second course")
    html = client.get("/dashboard/").content.decode()
    panel = html[html.index("Your certificates") :]
    assert panel.index("Second course") < panel.index("First course") and "New" in panel
    Certificate.objects.filter(pk=older.pk).update(status=Certificate.Status.REVOKED)
    html = client.get("/dashboard/").content.decode()
    assert "Second course" in html and "First course" not in html
