"""Results the team can see: the share email (rankings as the team's setting allows, PDF, own
scorecard), the office board link (read-only, revocable, expiring) and a member's scorecard link."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tracker.models import TeamBoardLink
from tracker.rules import add_months
from tracker.selectors import current_month
from tracker.selectors.sharing import member_from_scorecard_token, scorecard_token

from .factories import MemberFactory, put


@pytest.fixture
def month():
    return add_months(current_month(), -1)


@pytest.fixture
def scored(team, members, metrics, month):
    """Ana 120%, Ben 90%, Cy 60% last month; Dee (no email) 100%. The month before, Ben led."""
    dee = MemberFactory(team=team, name="Dee Park", email="dee@example.com")
    for member, before, now in zip([*members, dee], [90, 130, 70, 95], [120, 90, 60, 100], strict=True):
        put(member, metrics[0], add_months(month, -1), 100, before)
        put(member, metrics[0], month, 100, now)
    return [*members, dee]


def _share(client, team, month, capture):
    with capture(execute=True):
        return client.post(reverse("tracker:share", args=[team.pk, month]))


def test_share_emails_each_member_the_full_rankings_the_pdf_and_their_scorecard(
    team, scored, month, leader_client, django_capture_on_commit_callbacks
):
    response = _share(leader_client, team, month, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    # Cy has no email address: three emails.
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "ben@example.com", "dee@example.com"]
    ben = next(m for m in mail.outbox if m.to == ["ben@example.com"])
    assert "1. Ana Diaz 120%" in ben.body and "Cy Lane 60%" in ben.body
    assert "Rank 3 of 4" in ben.body
    assert ben.attachments and ben.attachments[0][2] == "application/pdf"
    # The link names Ben (its signature carries a timestamp, so compare what it opens, not its text).
    link = re.search(r"/tracker/scorecard/([^/\s]+)/" + f"{month:%Y-%m}/", ben.body)
    assert link and member_from_scorecard_token(link.group(1)) == scored[1]


def test_top_half_mode_never_shows_the_bottom_half(
    team, scored, month, leader_client, django_capture_on_commit_callbacks
):
    team.show_full_rankings = False
    team.save()
    _share(leader_client, team, month, django_capture_on_commit_callbacks)
    ana = next(m for m in mail.outbox if m.to == ["ana@example.com"])
    ranking = ana.body.split("Your scorecard")[0]
    assert "Ana Diaz" in ranking and "Dee Park" in ranking
    assert "Ben Cole" not in ranking and "Cy Lane" not in ranking  # Ben fell from first: not exposed
    ben = next(m for m in mail.outbox if m.to == ["ben@example.com"])
    assert "Rank 3 of 4" in ben.body  # everyone still sees their own numbers


def test_scorecard_link_works_without_an_account_and_only_for_that_member(client, team, scored, month):
    url = reverse("tracker:scorecard", args=[scorecard_token(scored[0]), month])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ana Diaz, your" in text and "Ben Cole" not in text
    assert client.get(url.replace(scorecard_token(scored[0])[:6], "AAAAAA")).status_code == 404
    future = add_months(current_month(), 2)
    assert client.get(reverse("tracker:scorecard", args=[scorecard_token(scored[0]), future])).status_code == 404


def test_board_link_is_read_only_refreshes_and_can_be_revoked_or_expire(leader_client, team, scored, month):
    leader_client.post(reverse("tracker:board_link_new", args=[team.pk, month]))
    link = TeamBoardLink.objects.get(team=team)
    client = Client()  # the office screen: no account
    url = reverse("tracker:board", args=[link.key])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'http-equiv="refresh"' in text and "Ana Diaz" in text
    assert "Mark as presented" not in text and "<form" not in text.split("<main")[-1].split("</main>")[0]
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save()
    assert client.get(url).status_code == 404
    link.expires_at = timezone.now() + datetime.timedelta(days=1)
    link.save()
    leader_client.post(reverse("tracker:board_link_revoke", args=[team.pk, month, link.pk]))
    assert client.get(url).status_code == 404


def test_another_leader_cannot_share_or_make_links(team, scored, month, intruder_client):
    assert intruder_client.post(reverse("tracker:share", args=[team.pk, month])).status_code == 404
    assert intruder_client.post(reverse("tracker:board_link_new", args=[team.pk, month])).status_code == 404
    assert mail.outbox == [] and not TeamBoardLink.objects.exists()
