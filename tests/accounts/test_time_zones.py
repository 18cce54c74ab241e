"""One time zone per person, on the site and in the Wagtail admin: the admin's profile zone follows
the site's (and the other way round), existing people are put in step by a migration, and the
admin's scheduling (go-live dates, the newsletter's schedule) names the zone and reads times in it."""

import importlib
import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.forms.account import LocalePreferencesForm
from wagtail.models import Site
from wagtail.users.models import UserProfile

from accounts.models import User
from home.newsletter.models import NewsletterIssuePage, NewsletterSettings
from tests.factories import StaffFactory, UserFactory
from tests.home.newsletter.test_newsletter import issue_page

pytestmark = pytest.mark.django_db


def _admin_zone(user) -> str:
    return UserProfile.objects.get(user=user).current_time_zone


def test_a_new_person_gets_the_same_zone_in_the_admin():
    user = UserFactory(time_zone="Asia/Tokyo")
    assert _admin_zone(user) == "Asia/Tokyo"


def test_a_request_in_the_leaders_zone_leaves_the_thread_in_the_sites(client, home_page):
    """The leader's zone is active while her request runs and put back after it: the thread's next
    request (or a test reading "today" after a request) must not find it still active."""
    assert settings.TIME_ZONE != "Asia/Tokyo"
    client.force_login(UserFactory(time_zone="Asia/Tokyo"))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="Asia/Tokyo" selected' in page
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_changing_the_site_profile_moves_the_admin_zone(client, home_page):
    user = UserFactory(time_zone="America/Chicago")
    client.force_login(user)
    data = {"full_name": "Ana", "company": "", "job_title": "", "time_zone": "Europe/Berlin"}
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    assert _admin_zone(user) == "Europe/Berlin"
    other = UserFactory(time_zone="America/Chicago")
    assert _admin_zone(other) == "America/Chicago"  # nobody else's moved


def test_changing_the_zone_in_wagtails_account_settings_moves_the_site_zone():
    user = UserFactory(time_zone="America/Chicago")
    profile = UserProfile.get_for_user(user)
    form = LocalePreferencesForm({"current_time_zone": "Asia/Tokyo", "preferred_language": ""}, instance=profile)
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"


def test_a_login_touches_no_profile(django_assert_num_queries):
    user = UserFactory(time_zone="Asia/Tokyo")
    UserProfile.objects.filter(user=user).update(current_time_zone="Europe/Berlin")
    user.last_login = datetime(2026, 1, 1, tzinfo=UTC)
    with django_assert_num_queries(1):
        user.save(update_fields=["last_login"])
    assert _admin_zone(user) == "Europe/Berlin"


def test_the_migration_puts_existing_people_in_step():
    empty = UserFactory(time_zone="Asia/Tokyo")
    chosen = UserFactory(time_zone="America/New_York")
    nothing = UserFactory(time_zone="Europe/Berlin")
    UserProfile.objects.filter(user=empty).update(current_time_zone="")
    UserProfile.objects.filter(user=chosen).update(current_time_zone="Australia/Sydney")
    UserProfile.objects.filter(user=nothing).delete()
    migration = importlib.import_module("accounts.migrations.0005_wagtail_profiles_take_time_zone")
    migration.in_step(apps, None)
    assert _admin_zone(empty) == "Asia/Tokyo"
    assert _admin_zone(nothing) == "Europe/Berlin"
    assert (_admin_zone(chosen), User.objects.get(pk=chosen.pk).time_zone) == ("Australia/Sydney",) * 2


def test_go_live_dialog_names_the_coachs_zone(client, home_page):
    client.force_login(StaffFactory(time_zone="Asia/Tokyo"))
    page = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk])).content.decode()
    assert "Dates and times are in your time zone, Asia/Tokyo." in page
    assert 'id="schedule-publishing-dialog"' in page


def test_newsletter_schedule_reads_the_time_in_the_coachs_zone(client, home_page):
    NewsletterSettings.objects.create(site=Site.objects.get(), postal_address="1 Main St, Austin, TX 78701")
    client.force_login(StaffFactory(time_zone="Asia/Tokyo"))
    issue = issue_page(home_page)
    url = reverse("newsletter_admin_issue_send", args=[issue.pk])
    assert re.search(r"Date and time \(Asia/Tokyo\)", client.get(url).content.decode())
    assert client.post(url, {"when": "later", "send_at": "2099-03-01T09:30"}).status_code == 302
    sent_at = NewsletterIssuePage.objects.get(pk=issue.pk).send_requested_at
    assert sent_at == datetime(2099, 3, 1, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo
