"""The mail merge: each subscriber's merged bytes say exactly what the email package would have
built for them (headers, both parts), with their own Message-ID; names that are not plain ASCII
text (or would need HTML escaping) are built the ordinary way, and are escaped in the HTML."""

import email
import uuid

import pytest
from django.core import mail

from home.newsletter.merge import MergedMessage, _semantics
from home.newsletter.models import NewsletterSubscriber
from home.newsletter.sending import IssueRenderer, newsletter_issue_deliver, unsubscribe_url
from tests.home.newsletter.test_newsletter import issue_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def renderer(home_page, settings):
    settings.SITE_URL = "https://coach.example.org"
    return IssueRenderer(issue_page(home_page))


def _copy(merge, address, name):
    return merge.message(address=address, name=name, url=unsubscribe_url(uuid.uuid4()))


def test_merged_copy_says_what_the_built_message_says(renderer):
    merge = renderer.merged()
    copies = [_copy(merge, f"r{n}@example.com", f"Ana{n}") for n in range(3)]
    assert all(isinstance(c, MergedMessage) for c in copies) and merge.usable
    for copy in copies:
        built = renderer.build(copy.to[0], copy.body.split("Hello ")[-1].split(",")[0], "", None)
        built.body, built.alternatives, built.extra_headers = copy.body, copy.alternatives, copy.extra_headers
        merged = copy.message().as_bytes(linesep="\r\n")
        assert _semantics(merged) == _semantics(built.message().as_bytes(linesep="\r\n"))
        parsed = email.message_from_bytes(merged)
        assert parsed["To"] == copy.to[0]
        assert " ".join(parsed["List-Unsubscribe"].split()) == copy.extra_headers["List-Unsubscribe"]
        assert "%%" not in merged.decode()
    ids = {email.message_from_bytes(c.message().as_bytes())["Message-ID"] for c in copies}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("name", "in_html"),
    [("Zoë", "Hello Zoë,"), ("<b>Bo</b>", "Hello &lt;b&gt;Bo&lt;/b&gt;,"), ("Tom & Jerry", "Hello Tom &amp; Jerry,")],
)
def test_names_needing_care_are_built_the_ordinary_way_and_escaped(renderer, name, in_html):
    message = _copy(renderer.merged(), "x@example.com", name)
    assert not isinstance(message, MergedMessage)
    assert f"Hello {name}," in message.body
    assert in_html in message.alternatives[0][0]


def test_a_send_hands_over_merged_copies_that_carry_everything(renderer, home_page):
    NewsletterSubscriber.objects.create(email="ana@example.com", first_name="Ana", status="confirmed", source="t")
    NewsletterSubscriber.objects.create(email="zoe@example.com", first_name="Zoë", status="confirmed", source="t")
    assert newsletter_issue_deliver(issue_id=renderer.issue.pk) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert isinstance(by_to["ana@example.com"], MergedMessage)
    assert "Hello Zoë," in by_to["zoe@example.com"].body
    raw = by_to["ana@example.com"].message().as_bytes().decode()
    assert "Hello Ana," in raw and "To: ana@example.com" in raw
