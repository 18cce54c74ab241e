"""The registration POST is a page too: at most 12 queries, counted as production runs it (the
confirmation emails queued in the database task queue on commit), with the newsletter box ticked."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from program.webinars.models import WebinarRegistration
from tests.program.webinars.factories import webinar
from tests.program.webinars.test_registration import form_data

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _statements(ctx) -> list[str]:
    # The test's own transaction turns each atomic block into a savepoint; production has none.
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
@override_settings(TASKS=QUEUE)
def test_a_new_visitor_registers_and_subscribes_in_twelve_queries(
    client, home_page, django_capture_on_commit_callbacks
):
    page = webinar(home_page)
    session = page.sessions.get()
    client.get(page.url)  # the CSRF cookie; no session is made for a visitor
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, form_data(session, newsletter="on"))
    assert response.status_code == 302
    assert WebinarRegistration.objects.get().status == WebinarRegistration.Status.REGISTERED
    statements = _statements(ctx)
    assert sum(s.startswith('INSERT INTO "django_tasks_database') for s in statements) == 2  # two emails queued
    assert not any("django_session" in s for s in statements)  # counting a browser makes no session
    assert len(statements) <= 12, "\n".join(s[:120] for s in statements)
