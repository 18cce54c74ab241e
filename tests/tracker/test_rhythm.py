"""The leader's month on a schedule: which reminder goes out when, exactly once, to whom, and the
one-click links in it (tracker/rhythm/)."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from tracker.models import ReminderKind, RhythmEmail, TargetAcknowledgement, TeamRhythm
from tracker.rhythm.calendar import first_working_day, working_days_before
from tracker.rhythm.dispatch import rhythm_reminders_send
from tracker.services import targets_communicate

from .factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory, put

UTC = datetime.UTC
K = ReminderKind
DEC = datetime.date(2026, 12, 1)
NOV = datetime.date(2026, 11, 1)


def at(y, m, d, hour_utc):
    return datetime.datetime(y, m, d, hour_utc, 0, tzinfo=UTC)


def kinds(outbox):
    return sorted(m.extra_headers["List-Id"].split("<")[1].split(".")[0] for m in outbox)


@pytest.fixture
def rhythm_team(team, members, metrics):
    """North Sales (leader in New York) with November targets and results for everyone."""
    for member in members:
        put(member, metrics[0], NOV, 100, 90)
    return team


def test_working_days_skip_weekends_and_the_countrys_holidays():
    # 1 December 2026 is a Tuesday; Thursday 26 November is Thanksgiving in the US only.
    assert working_days_before(DEC, 2, "US") == datetime.date(2026, 11, 27)
    assert working_days_before(DEC, 2, "GB") == datetime.date(2026, 11, 27)
    assert working_days_before(datetime.date(2026, 11, 27), 1, "US") == datetime.date(2026, 11, 25)
    assert working_days_before(datetime.date(2026, 11, 27), 1, "GB") == datetime.date(2026, 11, 26)
    assert first_working_day(datetime.date(2027, 1, 1), "US") == datetime.date(2027, 1, 4)


def test_set_targets_reminder_goes_two_working_days_before_the_first_and_only_once(rhythm_team):
    # 6:00 in New York: too early in the leader's day.
    assert rhythm_reminders_send(now=at(2026, 11, 27, 11)) == {}
    # Wednesday 25 November is three working days before (Thanksgiving is not one): not yet.
    assert K.TARGETS_NEXT not in rhythm_reminders_send(now=at(2026, 11, 25, 15))
    sent = rhythm_reminders_send(now=at(2026, 11, 27, 13))
    assert sent == {K.TARGETS_NEXT: 1}
    message = mail.outbox[-1]
    assert message.to == [rhythm_team.leader.email]
    assert message.subject == "Set and send December's targets for North Sales"
    assert reverse("tracker:targets", args=[rhythm_team.pk, "2026-12"]) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Later runs (another hour, a restarted worker) send nothing again.
    assert rhythm_reminders_send(now=at(2026, 11, 27, 14)) == {}
    assert rhythm_reminders_send(now=at(2026, 11, 30, 14)) == {}
    assert RhythmEmail.objects.filter(team=rhythm_team, kind=K.TARGETS_NEXT, occasion="2026-12").count() == 1


def test_time_follows_the_leaders_own_time_zone(rhythm_team):
    rhythm_team.leader.time_zone = "Asia/Tokyo"
    rhythm_team.leader.save()
    # 22:00 UTC on the 26th is 7:00 on the 27th in Tokyo.
    assert rhythm_reminders_send(now=at(2026, 11, 26, 22)) == {K.TARGETS_NEXT: 1}


def test_no_reminder_for_a_team_without_members_or_a_kind_turned_off(rhythm_team, leader):
    TeamFactory(leader=leader, name="Empty team")
    TeamRhythm.objects.create(team=rhythm_team, kinds_off=[K.TARGETS_NEXT])
    assert rhythm_reminders_send(now=at(2026, 11, 27, 13)) == {}
    assert mail.outbox == []


def test_one_click_unsubscribe_turns_that_kind_off_without_login(rhythm_team, client):
    rhythm_reminders_send(now=at(2026, 11, 27, 13))
    url = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("testserver")[-1] if "testserver" in url else url[url.index("/tracker/") :]
    assert client.get(path).status_code == 200
    assert TeamRhythm.objects.filter(team=rhythm_team).first() is None  # a GET changes nothing
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert TeamRhythm.objects.get(team=rhythm_team).kinds_off == [K.TARGETS_NEXT]
    assert client.post(path[:-5] + "xxxx/").status_code == 404  # a forged token changes nothing


def test_first_working_day_brings_targets_due_results_and_the_digest(rhythm_team, members, metrics):
    sent = rhythm_reminders_send(now=at(2026, 12, 1, 13))
    assert sent == {K.TARGETS_DUE: 1, K.DIGEST: 1}  # November's results are all in
    digest = next(m for m in mail.outbox if "in five steps" in m.subject)
    assert digest.subject.startswith("North Sales: November in five steps")
    assert "Communicate targets" in digest.body and "Top 3" in digest.body
    html = digest.alternatives[0][0]
    assert 'name="viewport"' in html and "<script" not in html


def test_results_entry_lists_who_is_missing(team, members, metrics):
    put(members[0], metrics[0], NOV, 100, 90)
    put(members[1], metrics[0], NOV, 100)
    sent = rhythm_reminders_send(now=at(2026, 12, 1, 13))
    assert sent[K.RESULTS_ENTRY] == 1
    message = next(m for m in mail.outbox if m.subject.startswith("Enter November"))
    assert "Ben Cole" in message.body and "Ana Diaz" not in message.body


def test_acknowledgement_reminder_and_remind_only_those(
    rhythm_team, members, metrics, leader, leader_client, django_capture_on_commit_callbacks
):
    for member in members:
        put(member, metrics[0], DEC, 100)
    with django_capture_on_commit_callbacks(execute=True):
        targets_communicate(team=rhythm_team, month=DEC, sent_by=leader)
    TargetAcknowledgement.objects.filter(member=members[0]).update(acknowledged_at=at(2026, 11, 25, 12))
    mail.outbox.clear()
    sent = rhythm_reminders_send(now=at(2026, 12, 3, 13))
    assert sent.get(K.ACKNOWLEDGEMENTS) == 1
    message = next(m for m in mail.outbox if "acknowledged" in m.subject)
    assert message.subject == "1 of 2 haven't acknowledged December's targets"
    waiting_url = reverse("tracker:rhythm_waiting", args=[rhythm_team.pk, "2026-12"])
    assert waiting_url in message.body
    page = leader_client.get(waiting_url)
    assert "Ben Cole" in page.content.decode() and "Remind only those 1" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(waiting_url)
    assert [m.to for m in mail.outbox] == [["ben@example.com"]]
    with django_capture_on_commit_callbacks(execute=True):
        leader_client.post(waiting_url)  # a second click within 12 hours emails nobody
    assert len(mail.outbox) == 1


def test_another_leader_cannot_see_or_remind_the_team(rhythm_team, intruder_client):
    url = reverse("tracker:rhythm_waiting", args=[rhythm_team.pk, "2026-12"])
    assert intruder_client.get(url).status_code == 404
    assert intruder_client.post(url).status_code == 404
    assert intruder_client.get(reverse("tracker:rhythm_settings", args=[rhythm_team.pk])).status_code == 404


def test_settings_page_turns_kinds_on_and_off_and_a_partial_post_changes_nothing(rhythm_team, leader_client):
    url = reverse("tracker:rhythm_settings", args=[rhythm_team.pk])
    assert leader_client.get(url).status_code == 200
    leader_client.post(url, {"form": "rhythm", "country": "CA", "kinds": [K.DIGEST, K.TARGETS_DUE]})
    rhythm = TeamRhythm.objects.get(team=rhythm_team)
    assert rhythm.country == "CA" and rhythm.is_on(K.DIGEST) and not rhythm.is_on(K.TARGETS_NEXT)
    leader_client.post(url, {"country": "US"})
    rhythm.refresh_from_db()
    assert rhythm.country == "CA" and rhythm.is_on(K.DIGEST)
    leader_client.post(url, {"form": "rhythm", "country": "ZZ", "kinds": []})
    rhythm.refresh_from_db()
    assert rhythm.country == "CA" and rhythm.is_on(K.DIGEST)


def test_mid_month_one_on_ones_and_late_subpar_flag(rhythm_team, members, metrics):
    put(members[2], metrics[0], NOV, 100, 40)  # Cy: 40% in November, below the 80% standard
    sent = rhythm_reminders_send(now=at(2026, 12, 10, 15))  # three working days before the 15th
    assert sent.get(K.ONE_ON_ONES) == 1
    message = next(m for m in mail.outbox if m.subject.startswith("1:1s left"))
    assert "Ana Diaz, Ben Cole, Cy Lane" in message.subject
    sent = rhythm_reminders_send(now=at(2026, 12, 16, 15))  # the 14 days to act have passed
    assert sent.get(K.SUBPAR) == 1
    flag = next(m for m in mail.outbox if "below standard" in m.subject)
    assert flag.subject == "Cy Lane has been below standard: open a 1:1 or a plan"


def test_the_leaders_commitments_due_this_week(rhythm_team, members):
    from tracker.models import ActionItem

    ActionItem.objects.create(
        team=rhythm_team,
        member=members[0],
        owner=ActionItem.Owner.LEADER,
        text="Ride along on two showings",
        due_on=datetime.date(2026, 12, 10),
    )
    sent = rhythm_reminders_send(now=at(2026, 12, 7, 15))  # Monday
    assert sent.get(K.COMMITMENTS) == 1
    assert "Ride along on two showings" in next(m for m in mail.outbox if "commitments" in m.subject).body
    assert K.COMMITMENTS not in rhythm_reminders_send(now=at(2026, 12, 8, 15))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")
    for _ in range(12):
        team = TeamFactory(leader=TrackerUserFactory())
        MemberFactory(team=team)
    now = at(2026, 11, 27, 13)
    barrier = threading.Barrier(3)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(rhythm_reminders_send(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.get(K.TARGETS_NEXT, 0) for r in results) == 12
    assert len(mail.outbox) == 12
    assert len({m.to[0] for m in mail.outbox}) == 12
    assert RhythmEmail.objects.count() == 12


def test_digest_names_flags_celebrations_commitments_and_the_lesson_for_the_slipped_step(team, members, metrics):
    from tracker.models import ActionItem

    for member, percent in zip(members, (130, 95, 40), strict=True):
        put(member, metrics[0], NOV, 100, percent)
    ActionItem.objects.create(
        team=team, member=members[2], owner=ActionItem.Owner.LEADER, text="Role-play the first call", due_on=DEC
    )
    rhythm_reminders_send(now=at(2026, 12, 1, 13))
    digest = next(m for m in mail.outbox if "in five steps" in m.subject)
    body = digest.body
    assert "1. Ana Diaz 130%" in body and "2. Ben Cole 95%" in body and "3. Cy Lane 40%" in body
    assert "Below standard:\n- Cy Lane: 40%" in body
    assert "Celebrations to make:\n- Ana Diaz: Top on Sales" in body
    assert "Role-play the first call" in body
    # November's targets were never sent: step 1 slipped, and the digest links to its lesson.
    assert "1. Communicate targets: missed" in body
    assert "A refresher on step 1:" in body
    assert digest.subject == "North Sales: November in five steps, 0 of 5"


def test_the_digest_query_count_does_not_grow_with_teams(django_assert_max_num_queries, leader):
    from tracker.selectors.digest import digests_for_teams

    teams = []
    for _ in range(6):
        team = TeamFactory(leader=leader)
        member = MemberFactory(team=team)
        put(member, MetricFactory(team=team), NOV, 100, 90)
        teams.append(team)
    with django_assert_max_num_queries(12):
        digests = digests_for_teams(teams=teams, month=NOV, today=datetime.date(2026, 12, 1))
    assert len(digests) == 6
