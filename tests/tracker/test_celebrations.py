import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import LEADER_ZONE_NAME
from tracker import selectors, services
from tracker.models import Celebration
from tracker.rules import add_months, month_start

from .factories import MemberFactory, TeamFactory, fill, put

LEADER_ZONE = ZoneInfo(LEADER_ZONE_NAME)

TODAY = timezone.localdate(timezone=LEADER_ZONE)
LAST = add_months(month_start(TODAY), -1)


def kinds(team, month=LAST):
    page = selectors.celebrations_page(team=team, month=month)
    return {(c.member.name, c.kind, c.metric.name if c.metric else None) for c in page.to_celebrate}


def test_detects_top_performer_personal_best_streak_and_most_improved(team, members, metrics):
    ana, ben, cy = members
    sales = metrics[0]
    fill(team, LAST, {ana: 100, ben: 90, cy: 80}, months_back=4)
    fill(team, add_months(LAST, -1), {cy: 60})
    fill(team, LAST, {cy: 85})  # up 25 points: most improved
    put(ana, sales, LAST, 100, 130)  # best sales month ever after four earlier months; top on Sales
    found = kinds(team)
    assert ("Ana Diaz", "top_performer", "Sales") in found
    assert ("Ana Diaz", "personal_best", "Sales") in found
    assert ("Ana Diaz", "streak", None) in found  # five months at or above target
    assert ("Cy Lane", "most_improved", None) in found
    assert not any(name == "Ben Cole" and kind in ("streak", "personal_best") for name, kind, _ in found)


def test_personal_best_needs_three_months_of_history(team, members, metrics):
    ana = members[0]
    fill(team, LAST, {ana: 100}, months_back=1)
    put(ana, metrics[0], LAST, 100, 150)
    assert ("Ana Diaz", "personal_best", "Sales") not in kinds(team)
    fill(team, add_months(LAST, -2), {ana: 100}, months_back=1)
    assert ("Ana Diaz", "personal_best", "Sales") in kinds(team)


def test_new_hire_first_month_at_target(team, metrics):
    newbie = MemberFactory(team=team, name="Dee New", start_date=add_months(LAST, -2))
    fill(team, add_months(LAST, -1), {newbie: 70}, months_back=1)
    fill(team, LAST, {newbie: 105})
    assert ("Dee New", "first_target_new_hire", None) in kinds(team)
    assert ("Dee New", "first_target_new_hire", None) not in kinds(team, add_months(LAST, -1))


def test_record_from_the_list_add_own_send_note_and_meeting_shows_them(
    team, members, metrics, leader_client, django_capture_on_commit_callbacks
):
    ana, ben, cy = members
    fill(team, LAST, {ana: 120, ben: 90, cy: 80})
    url = reverse("tracker:celebrations", args=[team.pk, LAST])
    page = leader_client.get(url)
    assert page.status_code == 200 and "Top on Sales" in page.content.decode()
    sales = metrics[0]
    data = {
        "action": "record",
        "member": ana.pk,
        "kind": "top_performer",
        "metric": sales.pk,
        "title": "Top on Sales: 120% of target",
    }
    assert leader_client.post(url, data).status_code == 302
    leader_client.post(url, data)  # twice: still one
    assert Celebration.objects.filter(kind="top_performer").count() == 1
    assert (
        leader_client.post(
            url,
            {
                "action": "custom",
                "own-member": cy.pk,
                "own-title": "Rescued the Hill closing",
                "own-note": "Calm under pressure",
            },
        ).status_code
        == 302
    )
    html = leader_client.get(url).content.decode()
    assert "Top on Sales: 120% of target" in html.split("Recorded for")[1]
    assert "67%" in html  # two of three members celebrated this quarter
    assert "Not yet: Ben Cole." in html
    # the meeting view shows the recorded celebrations
    meeting = leader_client.get(reverse("tracker:meeting", args=[team.pk, LAST])).content.decode()
    assert "Rescued the Hill closing" in meeting and "We celebrate" in meeting
    # note and email
    own = Celebration.objects.get(kind="top_performer")  # Ana has an email address
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(
            reverse("tracker:celebration_note", args=[team.pk, own.pk]),
            {"note": "You kept the buyers calm. Thank you.", "send": "1"},
        )
    own.refresh_from_db()
    assert own.sent_at is not None and own.note.startswith("You kept")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ana.email]
    assert "You kept the buyers calm" in mail.outbox[0].body


def test_sending_needs_an_email_and_a_note(team, members, metrics):
    no_email = members[2]  # Cy has no address
    c = services.celebration_record(
        team=team, member=no_email, month=LAST, kind="custom", title="Great month", note="Bravo"
    )
    with pytest.raises(ValidationError, match="no email"):
        services.celebration_send(celebration=c, sent_by=team.leader)
    c2 = services.celebration_record(team=team, member=members[0], month=LAST, kind="custom", title="Great month")
    with pytest.raises(ValidationError, match="Write a note"):
        services.celebration_send(celebration=c2, sent_by=team.leader)
    c.refresh_from_db(), c2.refresh_from_db()
    assert c.sent_at is None and c2.sent_at is None and len(mail.outbox) == 0


def test_celebration_for_another_teams_member_refused(team, members, leader_client):
    stranger = MemberFactory(team=TeamFactory())
    with pytest.raises(ValidationError):
        services.celebration_record(team=team, member=stranger, month=LAST, kind="custom", title="x")
    url = reverse("tracker:celebrations", args=[team.pk, LAST])
    assert (
        leader_client.post(url, {"action": "record", "member": stranger.pk, "kind": "custom", "title": "x"}).status_code
        == 404
    )
    response = leader_client.post(url, {"action": "custom", "own-member": stranger.pk, "own-title": "x"})
    assert response.status_code == 400
    far = datetime.date(2099, 1, 1)
    with pytest.raises(ValidationError):
        services.celebration_record(team=team, member=members[0], month=far, kind="custom", title="x")
    assert Celebration.objects.count() == 0
    assert Decimal(1)


def test_leader_mail_has_a_daily_limit_per_leader(team, members, metrics, leader, settings):
    from tracker.services.communication import targets_communicate

    settings.TRACKER_LEADER_EMAILS_PER_DAY = 3
    ana = members[0]
    first = services.celebration_record(team=team, member=ana, month=LAST, kind="custom", title="A", note="Well done")
    for _ in range(3):
        services.celebration_send(celebration=first, sent_by=leader)
    with pytest.raises(ValidationError, match="today's limit"):
        services.celebration_send(celebration=first, sent_by=leader)
    put(ana, metrics[0], LAST, 100)
    with pytest.raises(ValidationError, match="today's limit"):
        targets_communicate(team=team, month=LAST, sent_by=leader)
