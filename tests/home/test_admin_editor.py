"""Wagtail's page editor, answered by home/admin_views/editor.py (issue 16): Wagtail's editing
sessions, with the cleanup of stale ones at most once per SESSION_CLEANUP_SECONDS."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import get_default_page_content_type

from home.admin_views.editor import SESSION_CLEANUP_KEY, FewerQueriesEditView
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


def _stale_session(user, page):
    return EditingSession.objects.create(
        user=user,
        content_type=get_default_page_content_type(),
        object_id=str(page.pk),
        last_seen_at=timezone.now() - EditingSession.STALE_TIMEOUT - timedelta(minutes=1),
    )


def test_the_editor_is_the_subclass(client, home_page):
    client.force_login(CoachFactory())
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk]))
    assert response.status_code == 200
    assert isinstance(response.context["view"], FewerQueriesEditView)


def test_each_load_opens_its_own_editing_session_as_wagtails(client, home_page):
    coach = CoachFactory()
    client.force_login(coach)
    url = reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    first, second = client.get(url), client.get(url)
    sessions = list(EditingSession.objects.filter(user=coach, object_id=str(home_page.pk)).order_by("pk"))
    assert len(sessions) == 2
    for response, session in zip((first, second), sessions, strict=True):
        module = response.context["editing_sessions"]
        assert module.current_session == session
        assert module.ping_url == reverse(
            "wagtailadmin_editing_sessions:ping", args=("wagtailcore", "page", home_page.pk, session.pk)
        )
        assert module.release_url == reverse("wagtailadmin_editing_sessions:release", args=(session.pk,))
        assert module.revision_id == home_page.latest_revision_id


def test_stale_sessions_are_cleaned_up_once_per_window(client, home_page):
    coach = CoachFactory()
    client.force_login(coach)
    url = reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    first_stale = _stale_session(coach, home_page)
    client.get(url)  # the first load in the window cleans up
    assert not EditingSession.objects.filter(pk=first_stale.pk).exists()
    second_stale = _stale_session(coach, home_page)
    client.get(url)  # within the window: no cleanup
    assert EditingSession.objects.filter(pk=second_stale.pk).exists()
    cache.delete(SESSION_CLEANUP_KEY)  # the window expires (the key's timeout)
    client.get(url)
    assert not EditingSession.objects.filter(pk=second_stale.pk).exists()
    assert EditingSession.objects.filter(user=coach).count() == 3  # the three loads' own sessions
