"""Only a verified address of the account claims data recorded under an email.

Someone can sign up with another person's address and, without ever confirming it, must see none
of that person's webinar registrations, newsletter subscription or consent history, and deleting
the account must leave them alone.
"""

import pytest
from allauth.account.models import EmailAddress

from accounts.export import user_data_export
from accounts.services import user_delete
from home.newsletter.models import NewsletterConsent, NewsletterSubscriber
from home.newsletter.services import newsletter_confirm, newsletter_subscribe
from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_register
from tests.factories import PASSWORD, UserFactory
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.com"


@pytest.fixture
def victims_data(home_page):
    page = webinar(home_page)
    webinar_register(session_id=page.sessions.first().pk, email=VICTIM, name="Real Victim", question="private question")
    newsletter_subscribe(email=VICTIM, first_name="Vic", source="footer", ip="203.0.113.7")
    newsletter_confirm(subscriber=NewsletterSubscriber.objects.get(email=VICTIM), ip="203.0.113.8")


def _sections(data):
    webinar_rows = data["program"]["webinar_registrations"]
    return webinar_rows, data["newsletter"]


def test_an_unverified_account_email_claims_nothing(victims_data):
    squatter = UserFactory(email=VICTIM.upper(), verified=False)
    EmailAddress.objects.create(user=squatter, email=VICTIM, verified=False, primary=True)
    dump = str(user_data_export(user=squatter))
    assert "private question" not in dump
    assert "Real Victim" not in dump
    assert "203.0.113.7" not in dump

    user_delete(user=squatter)
    registration = WebinarRegistration.objects.get()
    assert (registration.email, registration.name) == (VICTIM, "Real Victim")
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.email == VICTIM and subscriber.status == NewsletterSubscriber.Status.CONFIRMED
    assert NewsletterConsent.objects.filter(subscriber=subscriber, ip="203.0.113.7").exists()


def test_an_unverified_extra_address_claims_nothing(victims_data):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=VICTIM, verified=False)
    assert "private question" not in str(user_data_export(user=user))


def test_a_verified_address_claims_its_data_in_any_case(victims_data):
    owner = UserFactory(email="Victim@Example.com")
    dump = str(user_data_export(user=owner))
    assert "private question" in dump and "203.0.113.7" in dump
    user_delete(user=owner)
    assert not WebinarRegistration.objects.filter(email=VICTIM).exists()
    assert not NewsletterSubscriber.objects.filter(email=VICTIM).exists()


def test_an_unverified_account_cannot_log_in_to_download_it_either(client, victims_data):
    """With the one door (test_one_door), the squatter has no session to ask with."""
    squatter = UserFactory(email=VICTIM, verified=False)
    for door in ("/admin/login/", "/_util/login/", "/accounts/login/"):
        client.post(door, {"login": squatter.email, "username": squatter.email, "password": PASSWORD})
    assert client.get("/profile/my-data.json").status_code == 302
