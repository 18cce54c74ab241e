"""What a newsletter issue carries: list headers, one-click unsubscribe that needs no login or
CSRF token, the postal address, absolute links and images, and its own From address."""

import re

import pytest
from django.core import mail
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from home.core.mail import absolute_urls
from home.newsletter.models import NewsletterIssuePage, NewsletterSettings, NewsletterSubscriber
from home.newsletter.sending import newsletter_issue_deliver
from tests.home.newsletter.test_newsletter import issue_page

pytestmark = pytest.mark.django_db
ADDRESS = "Huddle Coaching LLC\n1200 Main Street, Suite 4\nAustin, TX 78701"


@pytest.fixture
def sent_message(home_page, settings):
    settings.SITE_URL = "https://coach.example.org"
    settings.NEWSLETTER_FROM_EMAIL = "Huddle Weekly <weekly@news.example.org>"
    NewsletterSettings.objects.create(site=Site.objects.get(is_default_site=True), postal_address=ADDRESS)
    issue = issue_page(home_page)
    image = Image.objects.create(title="Huddle board", file=get_test_image_file())
    issue.body = [
        ("text", '<p>Read <a href="/program/">the program</a> or <a href="https://other.example/x">this</a>.</p>'),
        ("image", {"image": image, "caption": "", "alt": "The board"}),
    ]
    issue.save_revision().publish()
    NewsletterSubscriber.objects.create(email="ana@example.com", first_name="Ana", status="confirmed", source="t")
    assert newsletter_issue_deliver(issue_id=issue.pk) == 1
    return mail.outbox[0]


def test_list_headers_and_own_from_address(sent_message, settings):
    headers = sent_message.extra_headers
    assert headers["List-Id"] == "Huddle newsletter <newsletter.coach.example.org>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https://coach\.example\.org/newsletter/unsubscribe/[^/>]+/>", headers["List-Unsubscribe"])
    assert sent_message.from_email == "Huddle Weekly <weekly@news.example.org>" != settings.DEFAULT_FROM_EMAIL


def test_postal_address_in_both_parts(sent_message):
    html = sent_message.alternatives[0][0]
    assert "1200 Main Street, Suite 4<br>Austin, TX 78701" in html
    assert ADDRESS in sent_message.body


def test_every_link_and_image_is_absolute(sent_message):
    html = sent_message.alternatives[0][0]
    urls = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert 'href="https://coach.example.org/program/"' in html
    assert any(u.startswith("https://coach.example.org/media/images/") for u in urls), urls
    assert "https://other.example/x" in urls
    assert all(u.startswith(("https://", "mailto:")) for u in urls), urls


def test_one_click_post_needs_no_login_or_csrf_token(sent_message):
    url = sent_message.extra_headers["List-Unsubscribe"].strip("<>").replace("https://coach.example.org", "")
    client = Client(enforce_csrf_checks=True)  # the mail provider's POST: no cookie, no token
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber = NewsletterSubscriber.objects.get()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at is not None
    assert subscriber.consents.get().source == "one-click header"
    # Another subscriber's token does not work with this one's signature changed.
    assert client.post(url[:-3] + "xx/").status_code == 400


def test_a_sent_issue_is_never_sent_again(sent_message):
    issue = NewsletterIssuePage.objects.get()
    assert issue.sent_at is not None
    NewsletterSubscriber.objects.create(email="late@example.com", status="confirmed", source="t")
    assert newsletter_issue_deliver(issue_id=issue.pk) == 0
    assert len(mail.outbox) == 1


def test_absolute_urls_keeps_schemes_anchors_and_marks():
    html = '<a href="/a/">a</a><img src="b.png" srcset="/c.png 1x, /d.png 2x"><a href="#x">x</a><a href="%%U%%">u</a>'
    out = absolute_urls(html, "https://h.example")
    assert out == (
        '<a href="https://h.example/a/">a</a><img src="https://h.example/b.png" '
        'srcset="https://h.example/c.png 1x, https://h.example/d.png 2x"><a href="#x">x</a><a href="%%U%%">u</a>'
    )
