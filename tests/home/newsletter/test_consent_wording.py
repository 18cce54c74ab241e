"""The consent ledger keeps, word for word, the text the person saw on the form they used."""

import pytest
from django.urls import reverse

from home.newsletter.models import NewsletterConsent
from home.newsletter.wording import CONFIRM_WORDING, SIGNUP_WORDING
from program.webinars.forms import WebinarRegistrationForm
from tests.home.newsletter.test_newsletter import link_in
from tests.program.webinars.factories import webinar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit_runs_now(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def _form_of(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</form>", start)]


def test_footer_form_records_the_footer_text_it_shows(client, home_page):
    footer = _form_of(client.get("/").content.decode(), 'class="newsletter-signup"')
    assert SIGNUP_WORDING["short"].replace("'", "&#x27;") in footer and 'name="wording" value="short"' in footer
    client.post(
        reverse("home:newsletter_subscribe"), {"email": "ana@example.com", "source": "footer", "wording": "short"}
    )
    assert NewsletterConsent.objects.get().wording == SIGNUP_WORDING["short"]


def test_newsletter_page_records_its_own_text_and_the_confirmation_its_own(client, home_page):
    from django.core import mail

    page = client.get(reverse("home:newsletter_subscribe")).content.decode()
    assert SIGNUP_WORDING["page"] in page
    client.post(reverse("home:newsletter_subscribe"), {"email": "ana@example.com", "wording": "page"})
    confirm_url = link_in(mail.outbox[0], "confirm")
    assert CONFIRM_WORDING in client.get(confirm_url).content.decode()
    client.post(confirm_url)
    assert list(NewsletterConsent.objects.values_list("action", "wording")) == [
        ("subscribe", SIGNUP_WORDING["page"]),
        ("confirm", CONFIRM_WORDING),
    ]


def test_a_posted_text_is_never_recorded(client, home_page):
    client.post(
        reverse("home:newsletter_subscribe"),
        {"email": "ana@example.com", "source": "footer", "wording": "I agree to anything"},
    )
    assert NewsletterConsent.objects.get().wording == SIGNUP_WORDING["short"]


def test_webinar_checkbox_records_the_label_that_was_ticked(client, home_page):
    page = webinar(home_page)
    session = page.sessions.get()
    label = str(WebinarRegistrationForm.base_fields["newsletter"].label)
    assert label in client.get(page.url).content.decode()
    client.post(page.url, {"session": session.pk, "name": "Rosa Diaz", "email": "rosa@example.com", "newsletter": "on"})
    assert NewsletterConsent.objects.get().wording == label
