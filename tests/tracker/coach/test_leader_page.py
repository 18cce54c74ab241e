"""The coach's page about one leader: who may see it, what it shows, and the coach's private notes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.export import user_data_export
from accounts.services import user_delete
from lessons.models import Nudge
from tests.factories import PASSWORD, UserFactory
from tracker.models import CoachNote

from .conftest import leader_with_team, sent_on_time

pytestmark = pytest.mark.django_db


def _url(user) -> str:
    return reverse("tracker:coach_leader", args=[user.pk])


def _post(client, user, **data):
    return client.post(_url(user), data)


def test_only_the_coach_sees_the_page(coach_client, program):
    client = Client()
    leader = leader_with_team(program).leader
    other = leader_with_team(program, name="Luis Ortega", team="South").leader
    staff_only = UserFactory(is_staff=True)  # is_staff plays no part
    assert client.get(_url(leader)).status_code == 302  # anonymous: to the login form
    for visitor in (leader, other, staff_only):
        client.login(email=visitor.email, password=PASSWORD)
        assert client.get(_url(leader)).status_code == 404, visitor
        assert client.post(_url(leader), {"action": "add", "text": "sneaky"}).status_code == 404
    assert not CoachNote.objects.exists()
    response = coach_client.get(_url(leader))
    assert response.status_code == 200
    assert coach_client.get(reverse("tracker:coach_leader", args=[999999])).status_code == 404


def test_shows_progress_consistency_and_nudges(coach_client, coach, program, last_month):
    team = leader_with_team(program)
    sent_on_time(team, last_month)
    Nudge.objects.create(learner=team.leader, coach=coach, subject="Targets for March?", body="Hi", reason="coach")
    html = coach_client.get(_url(team.leader)).content.decode()
    assert "9 Steps" in html and "required lessons" in html
    assert reverse("program_report_learner", args=[program.pk, team.leader.pk]) in html
    assert "North Sales" in html and "Streak:" in html
    assert html.count('<th scope="row">') >= 12  # twelve months of the five steps
    assert "Targets for March?" in html


def test_a_leader_who_does_not_share_shows_progress_only(coach_client, program, last_month):
    team = leader_with_team(program, shares=False)
    sent_on_time(team, last_month)
    html = coach_client.get(_url(team.leader)).content.decode()
    assert "9 Steps" in html  # the learner report shows progress to the coach anyway
    assert "does not share their tracker data" in html
    assert "North Sales" not in html and "Streak:" not in html


def test_the_console_links_each_leader_to_their_page(coach_client, program, last_month):
    team = leader_with_team(program)
    html = coach_client.get("/tracker/coach/rhythm/", {"month": f"{last_month:%Y-%m}"}).content.decode()
    assert f'href="{_url(team.leader)}"' in html


def test_notes_add_edit_delete(coach_client, coach, program):
    leader = leader_with_team(program).leader
    assert _post(coach_client, leader, action="add", text="  Struggles with 1:1s  ").status_code == 302
    note = CoachNote.objects.get()
    assert (note.text, note.author, note.leader, note.version) == ("Struggles with 1:1s", coach, leader, 1)
    assert _post(coach_client, leader, action="add", text="   ").status_code == 400
    response = _post(coach_client, leader, action="edit", note=note.pk, version=1, text="Better since May")
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.version) == ("Better since May", 2)
    assert "Better since May" in coach_client.get(_url(leader)).content.decode()
    assert _post(coach_client, leader, action="delete", note=note.pk).status_code == 302
    assert not CoachNote.objects.exists()


def test_a_stale_tab_cannot_overwrite_a_newer_note(coach_client, program):
    leader = leader_with_team(program).leader
    _post(coach_client, leader, action="add", text="First words")
    note = CoachNote.objects.get()
    _post(coach_client, leader, action="edit", note=note.pk, version=1, text="Newer words")  # the other tab
    response = _post(coach_client, leader, action="edit", note=note.pk, version=1, text="Stale words")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Newer words" in html and "Stale words" in html and "changed in another tab" in html
    note.refresh_from_db()
    assert (note.text, note.version) == ("Newer words", 2)
    # Saving again from the conflict form (it now carries version 2) keeps the coach's text.
    assert 'name="version" value="2"' in html
    _post(coach_client, leader, action="edit", note=note.pk, version=2, text="Stale words")
    note.refresh_from_db()
    assert note.text == "Stale words"


def test_notes_about_one_leader_cannot_be_changed_through_another(coach_client, program):
    one = leader_with_team(program).leader
    two = leader_with_team(program, name="Luis Ortega", team="South").leader
    _post(coach_client, one, action="add", text="About Dana")
    note = CoachNote.objects.get()
    assert _post(coach_client, two, action="delete", note=note.pk).status_code == 404
    assert _post(coach_client, two, action="edit", note=note.pk, version=1, text="x").status_code == 409
    assert "About Dana" not in coach_client.get(_url(two)).content.decode()
    note.refresh_from_db()
    assert note.text == "About Dana"


def test_notes_are_never_shown_to_the_leader_and_go_with_their_account(coach_client, program):
    client = Client()
    leader = leader_with_team(program).leader
    _post(coach_client, leader, action="add", text="PRIVATE coach words")
    assert "PRIVATE coach words" not in str(user_data_export(user=leader))
    client.login(email=leader.email, password=PASSWORD)
    for path in ("/tracker/", "/accounts/profile/"):
        assert "PRIVATE coach words" not in client.get(path, follow=True).content.decode()
    user_delete(user=leader)
    assert not CoachNote.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_query_count_does_not_grow(coach_client, coach, program, last_month, size):
    leader = leader_with_team(program).leader
    for n in range(size):
        team = leader_with_team(program, name=f"Other {n}", team=f"Team {n}")
        team.leader = leader
        team.save(update_fields=["leader"])
        sent_on_time(team, last_month)
        CoachNote.objects.create(leader=leader, author=coach, text=f"Note {n}")
        Nudge.objects.create(learner=leader, coach=coach, subject=f"Nudge {n}", body="Hi", reason="coach")
    coach_client.get(_url(leader))  # warm per-site caches
    with CaptureQueriesContext(connection) as ctx:
        html = coach_client.get(_url(leader)).content.decode()
    assert html.count("Streak:") == size + 1 and html.count("Nudge ") >= size
    assert len(ctx.captured_queries) <= 12, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def test_a_trial_leader_without_a_program_still_has_a_page(coach_client, coach, program):
    team = leader_with_team(program, trial=True)
    Nudge.objects.create(learner=team.leader, coach=coach, subject="How is the trial?", body="Hi", reason="coach")
    html = coach_client.get(_url(team.leader)).content.decode()
    assert "Not enrolled in a program." in html and "How is the trial?" in html
    assert "North Sales" in html  # shares, and uses the tracker on a trial
