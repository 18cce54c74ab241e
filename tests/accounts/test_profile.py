"""Profile editing and showing times in the user's own zone."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_profile_saves(client, home_page, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Alicia Moreno",
            "company": "Harbor Point Homes",
            "job_title": "VP of Sales",
            "time_zone": "America/Denver",
            "share_consistency_with_coach": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.company, user.job_title, user.time_zone) == (
        "Alicia Moreno",
        "Harbor Point Homes",
        "VP of Sales",
        "America/Denver",
    )
    assert user.share_consistency_with_coach is True
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your profile has been saved." in page


def test_profile_bad_time_zone_shows_error_and_keeps_input(client, home_page, user):
    client.force_login(user)
    before = User.objects.get(pk=user.pk)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Changed Name", "company": "Typed Company", "job_title": "", "time_zone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "field--error" in html
    assert "Select a valid choice" in html
    assert 'value="Changed Name"' in html and 'value="Typed Company"' in html
    user.refresh_from_db()
    assert (user.full_name, user.time_zone) == (before.full_name, before.time_zone)


def test_profile_links_to_account_settings(client, home_page, user):
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    for name in ["account_email", "account_change_password", "accounts:data_export", "accounts:account_delete"]:
        assert f'href="{reverse(name)}"' in html


def test_times_shown_in_users_zone(client, home_page, user):
    moment = datetime.datetime(2026, 3, 2, 15, 30, tzinfo=datetime.UTC)
    User.objects.filter(pk=user.pk).update(time_zone="Asia/Tokyo", last_login=moment)
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(last_login=moment)  # force_login stamps "now"
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "3 Mar 2026, 12:30 a.m. JST" in html

    User.objects.filter(pk=user.pk).update(time_zone="America/Los_Angeles")
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "2 Mar 2026, 7:30 a.m. PST" in html


def test_dashboard_empty_state_is_helpful(client, home_page, user, monkeypatch):
    from accounts import dashboard

    monkeypatch.setattr(dashboard, "_panels", {})
    client.force_login(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Your leadership work starts here" in html
    assert f'href="{reverse("accounts:profile")}"' in html


def test_dashboard_renders_registered_panels_in_order(client, home_page, user, monkeypatch, tmp_path, settings):
    from accounts import dashboard

    (tmp_path / "panel_test.html").write_text('<section class="panel"><h2>{{ panel.title }}</h2></section>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    monkeypatch.setattr(dashboard, "_panels", {})
    dashboard.register_panel(key="b", template="panel_test.html", order=20, get_context=lambda r: {"title": "Second"})
    dashboard.register_panel(key="a", template="panel_test.html", order=10, get_context=lambda r: {"title": "First"})
    dashboard.register_panel(key="hidden", template="panel_test.html", order=5, get_context=lambda r: None)
    client.force_login(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert html.index("First") < html.index("Second")
    assert "Your leadership work starts here" not in html


def test_panels_share_work_within_one_request(rf):
    from accounts.dashboard import shared

    calls = []
    request, other_request = rf.get("/dashboard/"), rf.get("/dashboard/")
    assert shared(request, "teams", lambda: calls.append(1) or ["A"]) == ["A"]
    assert shared(request, "teams", lambda: calls.append(1) or ["B"]) == ["A"]
    assert shared(other_request, "teams", lambda: calls.append(1) or ["C"]) == ["C"]
    assert len(calls) == 2
