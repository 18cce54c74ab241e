"""'Download my data' and 'Delete my account'."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts import export
from accounts.models import User
from accounts.services import user_delete
from accounts.signals import account_deleting
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_export_is_own_data_only(client, user, other_user):
    client.force_login(user)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="huddle-my-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == user.email
    assert data["profile"]["full_name"] == user.full_name
    assert data["profile"]["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    body = response.content.decode()
    assert other_user.email not in body
    assert other_user.full_name not in body


def test_export_includes_sections_other_apps_register(client, user, other_user):
    export.register_exporter("test_notes", lambda u: {"owner": u.email})
    try:
        client.force_login(user)
        data = json.loads(client.get(reverse("accounts:data_export")).content)
    finally:
        export._exporters.pop("test_notes")
    assert data["test_notes"] == {"owner": user.email}


def test_export_is_get_only(client, user):
    client.force_login(user)
    assert client.post(reverse("accounts:data_export")).status_code == 405


def test_delete_with_wrong_password_changes_nothing(client, home_page, user):
    client.force_login(user)
    response = client.post(reverse("accounts:account_delete"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert EmailAddress.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 200  # still logged in


def test_delete_with_password_removes_user_and_personal_data(client, home_page, user, other_user):
    seen = []

    def receiver(sender, user, **kwargs):
        seen.append((sender, user.pk, User.objects.filter(pk=user.pk).exists()))

    account_deleting.connect(receiver)
    try:
        client.force_login(user)
        response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD}, follow=True)
    finally:
        account_deleting.disconnect(receiver)
    assert seen == [(User, user.pk, True)]  # told before the row went
    assert not User.objects.filter(pk=user.pk).exists()
    assert not User.objects.filter(email=user.email).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert "Your account and your personal data have been deleted" in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302  # logged out
    assert User.objects.filter(pk=other_user.pk).exists()


def test_failing_receiver_deletes_nothing(user):
    def receiver(sender, user, **kwargs):
        raise RuntimeError("cannot anonymise")

    account_deleting.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            user_delete(user=user)
    finally:
        account_deleting.disconnect(receiver)
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_anonymises_the_admin_log_about_the_account(user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from accounts.services import user_delete
    from tests.factories import StaffFactory

    coach = StaffFactory()
    entry = LogEntry.objects.create(
        user=coach,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=user.email,
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["Full name"]}}}}] {user.full_name}',
    )
    email = user.email
    user_delete(user=user)
    entry.refresh_from_db()
    assert email not in entry.object_repr and entry.change_message == ""
    assert entry.user == coach  # who changed an account is kept
