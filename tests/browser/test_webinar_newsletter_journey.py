"""The webinar and newsletter journeys in a real browser: register for a webinar and read the confirmation email;
sign up for the newsletter, confirm, unsubscribe."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from home.newsletter.models import NewsletterSubscriber
from program.webinars.models import WebinarRegistration
from tests.program.webinars.factories import webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url: str) -> str:
    return urlparse(url).path


def test_register_for_a_webinar_and_read_the_confirmation(page, live_server, screenshot, axe_check, home_page):
    webinar_page = webinar(home_page, title="Five strategies")
    session = webinar_page.sessions.get()
    mail.outbox.clear()
    page.goto(webinar_page.url)
    # The browser's zone replaces the server's: the <time> text names a zone either way.
    assert re.search(r"\([A-Za-z_ /]+\)", page.locator("time[data-local-time]").first.inner_text())
    assert session.join_url not in page.content()
    assert axe_check(page) == []
    page.locator(f"#session-{session.pk}").check()
    page.get_by_label("Your name").fill("Rosa Delgado")
    page.locator("#id_email").fill("rosa@example.com")
    page.get_by_label("Company").fill("Summit Homes")
    page.get_by_label("A question for the presenter").fill("How do I start the monthly reviews?")
    screenshot(page, "webinar-register-filled")
    page.get_by_role("button", name="Register for free").click()
    page.wait_for_load_state()
    assert "You're registered" in page.locator("main").inner_text(), page.locator("main").inner_text()
    screenshot(page, "webinar-registered")

    registration = WebinarRegistration.objects.get()
    assert registration.status == WebinarRegistration.Status.REGISTERED and registration.time_zone  # from the browser
    message = mail.outbox[-1]
    assert message.subject == "You're registered: Five strategies"
    assert any(part.get_filename() == "webinar.ics" for part in message.attachments)  # one MIME part
    # Read the HTML email in the browser, then follow its cancel link.
    page.set_content(message.alternatives[0][0])
    screenshot(page, "webinar-confirmation-email")
    cancel_url = page.get_by_role("link", name="Cancel your registration").get_attribute("href")
    page.goto(live_server.url + _path(cancel_url))
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_selector("text=Your registration is cancelled")
    registration.refresh_from_db()
    assert registration.status == WebinarRegistration.Status.CANCELLED


def test_newsletter_sign_up_confirm_unsubscribe(page, live_server, screenshot, axe_check, home_page):
    mail.outbox.clear()
    page.goto("/")
    page.locator("#nl-email-footer").fill("lee@example.com")
    page.locator("#nl-name-footer").fill("Lee")
    page.locator("footer").get_by_role("button", name="Subscribe").click()
    page.wait_for_selector("text=Check your inbox")
    assert "lee@example.com" not in page.locator("main").inner_text()
    confirm = re.search(r"http://\S+/newsletter/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + _path(confirm))
    assert axe_check(page) == []
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.wait_for_selector("text=You're subscribed")
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.status == NewsletterSubscriber.Status.CONFIRMED

    from home.newsletter.sending import unsubscribe_url

    page.goto(live_server.url + _path(unsubscribe_url(subscriber.uuid)))
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_selector("text=You're unsubscribed")
    assert "lee@example.com" not in page.content()
    screenshot(page, "newsletter-unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.UNSUBSCRIBED
    assert list(subscriber.consents.values_list("action", flat=True)) == ["subscribe", "confirm", "unsubscribe"]
