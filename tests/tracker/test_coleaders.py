"""Co-leaders join with their consent: invited by the team's owner, they accept through a signed,
expiring, single-use link, logged in with the invited (verified) address. Only the owner manages
co-leaders; the owner's form never reveals whether an address has an account; co-leading runs on
the owner's access."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import UserFactory
from tests.tracker.factories import TrackerUserFactory
from tracker.models import CoLeaderInvitation, TeamCoLeader
from tracker.selectors import teams_for_user, user_can_use_tracker

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(team, leader_client, django_capture_on_commit_callbacks, mailoutbox):
    """The owner invites `email`; returns the accept link from the email."""

    def _invite(email: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = leader_client.post(reverse("tracker:team_settings", args=[team.pk]), {"co-email": email})
        assert response.status_code == 302
        body = mailoutbox[-1].body
        assert mailoutbox[-1].to == [email]
        return re.search(r"https?://\S+/tracker/co-lead/\S+/", body).group(0)

    return _invite


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_invitee_accepts_with_the_invited_address_and_then_sees_the_team(team, invite, client):
    invitee = UserFactory(email="rosa@example.com")
    link = _path(invite("rosa@example.com"))
    assert not TeamCoLeader.objects.exists()  # invited is not added
    client.force_login(invitee)
    page = client.get(link)
    assert page.status_code == 200 and team.name in page.content.decode()
    assert not TeamCoLeader.objects.exists()  # a GET (a mail scanner) accepts nothing
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("tracker:team", args=[team.pk])
    assert list(teams_for_user(invitee)) == [team]
    again = client.post(link)  # single use
    assert again.status_code == 400 and b"already been used" in again.content
    assert TeamCoLeader.objects.count() == 1


def test_another_account_holding_the_link_cannot_accept(team, invite, client):
    UserFactory(email="rosa@example.com")
    link = _path(invite("rosa@example.com"))
    stranger = UserFactory(email="someone@example.com")
    client.force_login(stranger)
    response = client.post(link)
    assert response.status_code == 400 and b"sent to another address" in response.content
    assert not TeamCoLeader.objects.exists()


def test_an_unverified_copy_of_the_address_cannot_accept(team, invite, client):
    link = _path(invite("rosa@example.com"))
    squatter = UserFactory(email="rosa@example.com", verified=False)
    EmailAddress.objects.create(user=squatter, email="rosa@example.com", verified=False, primary=True)
    client.force_login(squatter)
    assert client.post(link).status_code == 400
    assert not TeamCoLeader.objects.exists()


def test_a_tampered_or_expired_link_is_refused(team, invite, client, settings):
    invitee = UserFactory(email="rosa@example.com")
    link = _path(invite("rosa@example.com"))
    client.force_login(invitee)
    assert client.post(link[:-3] + "xx/").status_code == 400
    from tracker.services import coleaders

    settings_age = coleaders.INVITATION_MAX_AGE
    coleaders.INVITATION_MAX_AGE = -1
    try:
        response = client.post(link)
    finally:
        coleaders.INVITATION_MAX_AGE = settings_age
    assert response.status_code == 400 and b"expired" in response.content
    assert not TeamCoLeader.objects.exists()


def test_the_link_needs_a_login(team, invite, client):
    link = _path(invite("rosa@example.com"))
    client.logout()  # leader_client is this same client
    response = client.get(link)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_says_the_same_whether_or_not_an_account_exists(team, leader_client, mailoutbox):
    UserFactory(email="known@example.com")
    url = reverse("tracker:team_settings", args=[team.pk])
    answers = []
    for email in ("known@example.com", "nobody@example.com"):
        page = leader_client.post(url, {"co-email": email}, follow=True).content.decode()
        answers.append(page.replace(email, "EMAIL"))
    assert "Invitation sent to EMAIL" in answers[0]
    first, second = (re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", a) for a in answers)
    assert first.count("Invitation sent") == second.count("Invitation sent") == 1
    assert CoLeaderInvitation.objects.count() == 2


def test_only_the_owner_invites_and_removes(team, leader, client):
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    other = UserFactory()
    TeamCoLeader.objects.create(team=team, user=other)
    client.force_login(co)
    url = reverse("tracker:team_settings", args=[team.pk])
    client.post(url, {"co-email": "friend@example.com"})
    client.post(url, {"remove": str(other.pk)})
    assert not CoLeaderInvitation.objects.exists()
    assert TeamCoLeader.objects.filter(user=other).exists()
    assert b"Only the team's leader invites" in client.get(url).content
    client.force_login(leader)
    client.post(url, {"remove": str(other.pk)})
    assert not TeamCoLeader.objects.filter(user=other).exists()


def test_co_leading_runs_on_the_owners_access(team, leader):
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    assert user_can_use_tracker(co) and list(teams_for_user(co)) == [team]
    leader.tracker_access.delete()  # the owner's trial ends
    assert not user_can_use_tracker(co) and list(teams_for_user(co)) == []


def _withdraw_url(team, invitation) -> str:
    return reverse("tracker:coleader_invitation_withdraw", args=[team.pk, invitation.pk])


def test_the_owner_sees_a_pending_invitation_and_withdraws_it_after_confirming(team, invite, leader_client):
    invite("rosa@example.com")
    invitation = CoLeaderInvitation.objects.get()
    settings_page = leader_client.get(reverse("tracker:team_settings", args=[team.pk])).content.decode()
    assert "rosa@example.com" in settings_page and _withdraw_url(team, invitation) in settings_page
    confirm = leader_client.get(_withdraw_url(team, invitation))
    assert confirm.status_code == 200 and b"Withdraw the invitation" in confirm.content
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None  # a GET only asks
    response = leader_client.post(_withdraw_url(team, invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    settings_page = leader_client.get(reverse("tracker:team_settings", args=[team.pk])).content.decode()
    assert _withdraw_url(team, invitation) not in settings_page  # no longer pending
    assert leader_client.post(_withdraw_url(team, invitation)).status_code == 404  # only once


def test_a_withdrawn_invitations_link_says_so_and_grants_nothing(team, invite, leader_client, client):
    link = _path(invite("rosa@example.com"))
    invitation = CoLeaderInvitation.objects.get()
    leader_client.post(_withdraw_url(team, invitation))
    invitee = UserFactory(email="rosa@example.com")
    client.force_login(invitee)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400 and b"withdrew this invitation" in response.content
    assert not TeamCoLeader.objects.exists()
    assert list(teams_for_user(invitee)) == []


def test_an_invitation_withdrawn_while_its_page_is_open_cannot_be_accepted(team, invite, client):
    from tracker.services import coleader_invitation_withdraw

    link = _path(invite("rosa@example.com"))
    client.force_login(UserFactory(email="rosa@example.com"))
    assert client.get(link).status_code == 200
    coleader_invitation_withdraw(team=team, invitation_id=CoLeaderInvitation.objects.get().pk)
    assert client.post(link).status_code == 400
    assert not TeamCoLeader.objects.exists()


def test_only_the_owner_withdraws(team, invite, client):
    invite("rosa@example.com")
    invitation = CoLeaderInvitation.objects.get()
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    other_leader = TrackerUserFactory()
    for person in (co, other_leader):
        client.force_login(person)
        assert client.get(_withdraw_url(team, invitation)).status_code == 404
        assert client.post(_withdraw_url(team, invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_an_accepted_invitation_cannot_be_withdrawn(team, leader, invite, client):
    link = _path(invite("rosa@example.com"))
    client.force_login(UserFactory(email="rosa@example.com"))
    assert client.post(link).status_code == 302
    invitation = CoLeaderInvitation.objects.get()
    client.force_login(leader)  # leader_client is this same client
    assert client.get(_withdraw_url(team, invitation)).status_code == 404
    assert TeamCoLeader.objects.count() == 1
