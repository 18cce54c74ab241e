"""An acknowledgement is of the numbers that were sent: the sheet is kept as a snapshot, the
leader sees "changed since sent", and sending again goes only to those who need it."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker import services
from tracker.models import TargetAcknowledgement
from tracker.selectors import ack_token

MARCH = datetime.date(2024, 3, 1)


def set_targets(team, members, metrics, value="100"):
    services.month_values_save(
        team=team, month=MARCH, kind="targets", values={(m.pk, metrics[0].pk): D(value) for m in members[:2]}
    )


def ack_of(member):
    return TargetAcknowledgement.objects.get(member=member)


def test_the_sent_sheet_is_kept_and_the_acknowledgement_is_of_it(team, members, metrics, leader):
    set_targets(team, members, metrics)
    services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    ana = ack_of(members[0])
    assert [(row["name"], row["value"]) for row in ana.sent_targets] == [("Sales", "100.00")]
    services.target_acknowledge(ack=ana)
    ana.refresh_from_db()
    assert ana.acknowledged_targets == ana.sent_targets and ana.acknowledged_sent_version


def test_leader_sees_changed_since_sent_and_resend_goes_only_to_who_needs_it(
    team, members, metrics, leader, leader_client, django_capture_on_commit_callbacks
):
    ana, ben = members[0], members[1]
    set_targets(team, members, metrics)
    services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    services.target_acknowledge(ack=ack_of(ana))
    services.target_acknowledge(ack=ack_of(ben))
    with pytest.raises(ValidationError, match="nothing was sent"):  # both confirmed these numbers
        services.targets_communicate(team=team, month=MARCH, sent_by=leader)

    services.month_values_save(team=team, month=MARCH, kind="targets", values={(ana.pk, metrics[0].pk): D("150")})
    page = leader_client.get(reverse("tracker:communicate", args=[team.pk, MARCH])).content.decode()
    assert "changed since sent" in page and "Targets changed since they were sent for: Ana Diaz" in page
    assert "Acknowledged: 1 of 2" in page

    again = services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    assert again.sent_to == [ana.pk]  # Ben confirmed his unchanged sheet: not emailed again
    ana_ack = ack_of(ana)
    assert ana_ack.sent_targets[0]["value"] == "150.00"
    assert ana_ack.acknowledged_targets[0]["value"] == "100.00"  # what she confirmed is kept
    assert ana_ack.acknowledged_earlier_version and not ana_ack.acknowledged_sent_version

    everyone = services.targets_communicate(team=team, month=MARCH, sent_by=leader, everyone=True)
    assert everyone.sent_to == [ana.pk, ben.pk]


def test_not_yet_acknowledged_members_get_it_again(team, members, metrics, leader):
    set_targets(team, members, metrics)
    services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    services.target_acknowledge(ack=ack_of(members[0]))
    again = services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    assert again.sent_to == [members[1].pk]


def test_member_page_shows_the_sent_numbers_and_the_earlier_confirmed_ones(team, members, metrics, leader, client):
    ana = members[0]
    set_targets(team, members, metrics)
    services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    services.target_acknowledge(ack=ack_of(ana))
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(ana.pk, metrics[0].pk): D("150")})
    url = reverse("tracker:acknowledge", args=[ack_token(ack_of(ana))])
    page = client.get(url).content.decode()
    assert "$100" in page and "$150" not in page  # not re-sent yet: the page shows what she was sent
    assert "you confirmed these targets" in page
    services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    page = client.get(url).content.decode()
    assert "$150" in page and "you confirmed these earlier ones" in page and "I have my new targets" in page
    client.post(url)
    ack = ack_of(ana)
    assert ack.acknowledged_targets[0]["value"] == "150.00" and ack.acknowledged_sent_version


def test_the_email_carries_the_snapshot(team, members, metrics, leader, django_capture_on_commit_callbacks):
    from django.core import mail

    set_targets(team, members, metrics, value="1350000")
    with django_capture_on_commit_callbacks(execute=True):
        services.targets_communicate(team=team, month=MARCH, sent_by=leader)
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("9")})
    sheet = services.communication.send_target_sheet
    mail.outbox.clear()
    sheet.call(ack_of(members[0]).pk)
    assert "$1,350,000" in mail.outbox[0].body  # the numbers sent, as recorded, not changed later
