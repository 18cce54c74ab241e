"""Wagtail's user admin works with our user model (email login, one full-name field)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory())
    return client


def test_create_user_in_wagtail_admin(admin_client):
    page = admin_client.get(reverse("wagtailusers_users:add"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="full_name"' in html and 'name="first_name"' not in html
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.leader@example.com",
            "full_name": "Jordan Avery",
            "password1": "a-strong-admin-made-pw-1",
            "password2": "a-strong-admin-made-pw-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="new.leader@example.com")
    assert created.full_name == "Jordan Avery"
    assert created.check_password("a-strong-admin-made-pw-1")


def test_create_user_bad_input_shows_errors(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {"email": "not-an-email", "full_name": "", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="not-an-email").exists()


def test_edit_user_in_wagtail_admin(admin_client):
    leader = UserFactory(full_name="Old Name")
    url = reverse("wagtailusers_users:edit", args=[leader.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"email": leader.email, "full_name": "New Name", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    leader.refresh_from_db()
    assert leader.full_name == "New Name"
