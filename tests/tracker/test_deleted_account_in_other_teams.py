"""When a person deletes their Huddle account, member rows that OTHER leaders typed about them stay
(the name and numbers are those leaders' own records), but the person's verified addresses go from
those rows, and with them the 1:1 invitations, scorecard links and target-sheet links. An address the account never
confirmed is not touched: it proves nothing about whose it is."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_delete
from tests.factories import UserFactory
from tracker import services
from tracker.models import Member, Result, TargetAcknowledgement
from tracker.rules import add_months, month_start
from tracker.selectors.communication import ACK_SALT, ack_from_token, ack_token
from tracker.selectors.sharing import member_from_scorecard_token, scorecard_token

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory, put

pytestmark = pytest.mark.django_db
LAST = add_months(month_start(timezone.localdate()), -1)


@pytest.fixture
def rosa():
    """The person deleting their account: one primary and one extra verified address, one unverified."""
    person = UserFactory(email="rosa@example.com")
    EmailAddress.objects.create(user=person, email="rosa.work@example.com", verified=True, primary=False)
    EmailAddress.objects.create(user=person, email="rosa.unconfirmed@example.com", verified=False, primary=False)
    return person


@pytest.fixture
def other_team():
    leader = TrackerUserFactory(email="second.leader@example.com")
    return TeamFactory(leader=leader, name="South Sales")


def test_another_leaders_member_row_loses_the_verified_address_and_keeps_name_and_results(rosa, other_team):
    sales = MetricFactory(team=other_team, name="Sales")
    row = MemberFactory(
        team=other_team, name="Rosa Vega", email="ROSA@example.com", start_date=datetime.date(2024, 1, 1)
    )
    work = MemberFactory(team=other_team, name="Rosa V. (work)", email="rosa.work@example.com")
    unconfirmed = MemberFactory(team=other_team, name="Someone", email="rosa.unconfirmed@example.com")
    stranger = MemberFactory(team=other_team, name="Ben Cole", email="ben@example.com")
    put(row, sales, LAST, 100, 80)

    user_delete(user=rosa)

    row.refresh_from_db(), work.refresh_from_db(), unconfirmed.refresh_from_db(), stranger.refresh_from_db()
    assert (row.name, row.email) == ("Rosa Vega", "")
    assert work.email == ""  # any verified address of the account, not only the primary one
    assert unconfirmed.email == "rosa.unconfirmed@example.com"  # never confirmed: not the person's to remove
    assert stranger.email == "ben@example.com"
    assert Result.objects.get(member=row).value == Decimal("80")
    assert Member.objects.filter(team=other_team).count() == 4


def test_scorecard_links_and_one_on_one_invitations_to_the_address_stop(rosa, other_team, mailoutbox):
    row = MemberFactory(
        team=other_team, name="Rosa Vega", email="rosa@example.com", start_date=datetime.date(2024, 1, 1)
    )
    token = scorecard_token(row)
    assert member_from_scorecard_token(token) == row

    user_delete(user=rosa)

    assert member_from_scorecard_token(token) is None
    row.refresh_from_db()
    when = timezone.make_aware(datetime.datetime.combine(month_start(timezone.localdate()), datetime.time(10)))
    one = services.one_on_one_schedule(team=other_team, member=row, month=LAST, scheduled_at=when)
    recipients = services.one_on_one_invite_send(one_on_one=one)
    assert recipients == ["second.leader@example.com"]  # the leader's own copy only


def test_a_scorecard_link_stops_when_the_leader_changes_the_address(other_team):
    row = MemberFactory(team=other_team, name="Ana Diaz", email="ana@example.com")
    token = scorecard_token(row)
    Member.objects.filter(pk=row.pk).update(email="ana.new@example.com")
    assert member_from_scorecard_token(token) is None
    assert member_from_scorecard_token(scorecard_token(Member.objects.get(pk=row.pk))) is not None


def _ack_for(row, leader):
    sales = MetricFactory(team=row.team, name="Sales")
    services.month_values_save(team=row.team, month=LAST, kind="targets", values={(row.pk, sales.pk): Decimal("100")})
    services.targets_communicate(team=row.team, month=LAST, sent_by=leader)
    return TargetAcknowledgement.objects.get(member=row)


def test_target_sheet_links_to_the_address_stop_when_the_account_is_deleted(rosa, other_team, client):
    row = MemberFactory(team=other_team, name="Rosa Vega", email="rosa@example.com")
    url = reverse("tracker:acknowledge", args=[ack_token(_ack_for(row, other_team.leader))])
    assert client.get(url).status_code == 200

    user_delete(user=rosa)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TargetAcknowledgement.objects.get(member=row).acknowledged_at is None


def test_a_target_sheet_link_stops_when_the_leader_changes_or_removes_the_address(other_team):
    row = MemberFactory(team=other_team, name="Ana Diaz", email="ana@example.com")
    ack = _ack_for(row, other_team.leader)
    token = ack_token(ack)
    Member.objects.filter(pk=row.pk).update(email="ana.new@example.com")
    assert ack_from_token(token) is None
    fresh = ack_token(TargetAcknowledgement.objects.select_related("member").get(pk=ack.pk))
    assert ack_from_token(fresh) == ack  # the link sent to the new address works
    Member.objects.filter(pk=row.pk).update(email="")
    assert ack_from_token(fresh) is None


def test_an_older_target_sheet_link_without_the_address_works_only_while_the_member_has_one(other_team):
    row = MemberFactory(team=other_team, name="Ana Diaz", email="ana@example.com")
    ack = _ack_for(row, other_team.leader)
    old = signing.dumps({"ack": ack.pk}, salt=ACK_SALT)  # as links were signed before
    assert ack_from_token(old) == ack
    Member.objects.filter(pk=row.pk).update(email="")
    assert ack_from_token(old) is None
