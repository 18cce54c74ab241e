"""The coach's monthly-rhythm console: who sees it, whose data it shows, filters, CSV, nudges."""

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Nudge
from program.payments.models import SeatInvitation, SeatPurchase
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.lessons.factories import make_program
from tracker.coach.console import STEP_SLIPPED, console_rows

from .conftest import all_five, leader_with_team, sent_on_time

URL = "/tracker/coach/rhythm/"


def _get(client, **params):
    return client.get(URL, params)


def test_only_the_coach_sees_the_console_and_can_nudge(db, client, program, last_month):
    team = leader_with_team(program)
    staff_only = UserFactory(is_staff=True)  # is_staff plays no part
    for user in (team.leader, UserFactory(), staff_only):
        client.login(email=user.email, password=PASSWORD)
        assert client.get(URL).status_code == 404
        response = client.post(reverse("tracker:coach_nudge"), {"month": f"{last_month:%Y-%m}", "only": team.pk})
        assert response.status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # to log in
    assert Nudge.objects.count() == 0


def test_superuser_is_the_coach(db, client, program):
    client.login(email=StaffFactory().email, password=PASSWORD)
    assert client.get(URL).status_code == 200


def test_the_console_shows_consenting_leaders_only_with_each_step(coach_client, program, last_month):
    done = leader_with_team(program, name="Dana Reyes", team="North Sales")
    all_five(done, last_month)
    missed = leader_with_team(program, name="Luis Ortega", team="South Sales")
    private = leader_with_team(program, shares=False, name="Priv Ate", team="Private Team")
    sent_on_time(private, last_month)
    trial = leader_with_team(program, name="Tia Trial", team="Trial Team", trial=True)
    html = _get(coach_client, month=f"{last_month:%Y-%m}").content.decode()
    assert "North Sales" in html and "South Sales" in html and "Trial Team" in html
    assert "Private Team" not in html and "Priv Ate" not in html
    assert "Trial</span>" in html
    rows = {r.team.pk: r for r in console_rows(month=last_month)}
    assert set(rows) == {done.pk, missed.pk, trial.pk}
    assert [s.state for s in rows[done.pk].month.steps] == ["done"] * 5 and not rows[done.pk].missed_first
    assert rows[done.pk].score == 5 and rows[done.pk].streak == 1 and rows[done.pk].last_activity is not None
    assert rows[missed.pk].missed_first and rows[missed.pk].slipped.step == 1
    assert rows[trial.pk].trial and not rows[done.pk].trial
    # a checkbox to nudge only for the leader whose step slipped
    assert f'name="team" value="{missed.pk}"' in html and f'name="team" value="{done.pk}"' not in html
    assert "1 missed the 1st" not in html  # two missed it: Luis and Tia
    assert "2 missed the 1st" in html


def test_filters_sort_and_pagination(coach_client, program, home_page, last_month, monkeypatch):
    other_program = make_program(home_page, slug="workshop", title="Workshop")
    a = leader_with_team(program, name="Ann Able", team="Alpha")
    all_five(a, last_month)
    b = leader_with_team(other_program, name="Bob Bold", team="Bravo")
    buyer = UserFactory(company="Summit Homes")
    purchase = SeatPurchase.objects.create(buyer=buyer, program=other_program, quantity=2)
    SeatInvitation.objects.create(
        purchase=purchase,
        email=b.leader.email,
        token_hash="x" * 64,
        expires_at=purchase.created_at,
        accepted_by=b.leader,
        accepted_at=purchase.created_at,
    )
    month = f"{last_month:%Y-%m}"
    html = _get(coach_client, month=month, program=program.pk).content.decode()
    assert "Alpha" in html and "Bravo" not in html
    html = _get(coach_client, month=month, company=buyer.pk).content.decode()
    assert "Bravo" in html and "Alpha" not in html
    assert "Summit Homes" in html  # the company filter names the buyer's company
    html = _get(coach_client, month=month, missed_first="on").content.decode()
    assert "Bravo" in html and "Alpha" not in html
    html = _get(coach_client, month=month, sort="score").content.decode()
    assert html.index("Bravo") < html.index("Alpha")  # lowest score first
    html = _get(coach_client, month=month, sort="leader").content.decode()
    assert html.index("Alpha") < html.index("Bravo")
    monkeypatch.setattr("tracker.coach.views.PER_PAGE", 1)
    page2 = _get(coach_client, month=month, page=2).content.decode()
    assert "Bravo" in page2 and "Alpha" not in page2 and "Page 2 of 2" in page2
    # odd filter values are ignored, never a 500
    assert _get(coach_client, month="2026-13", program="x", company="9999999", sort="evil").status_code == 200


def test_csv_is_formula_safe_and_leaves_out_non_consenting_leaders(coach_client, program, last_month):
    leader_with_team(program, name="Eve Evil", team='=HYPERLINK("http://x")')
    leader_with_team(program, shares=False, name="Priv Ate", team="Private Team")
    response = _get(coach_client, month=f"{last_month:%Y-%m}", format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Leader", "Email", "Team"] and rows[0][5] == "Step 1: Communicate targets"
    assert len(rows) == 2
    assert rows[1][2].startswith("'=")  # not a formula in a spreadsheet
    assert rows[1][5] == "missed" and rows[1][10] == "yes"
    assert "Private Team" not in response.content.decode()


def _nudge(client, month, **data):
    return client.post(reverse("tracker:coach_nudge"), {"month": f"{month:%Y-%m}", "next": URL, **data})


def test_ticking_two_leaders_shows_the_prefilled_words_then_sends_once(coach_client, coach, program, last_month):
    one = leader_with_team(program, name="Dana Reyes", team="North Sales")
    two = leader_with_team(program, name="Luis Ortega", team="South Sales")
    compose = _nudge(coach_client, last_month, team=[one.pk, two.pk])
    html = compose.content.decode()
    assert compose.status_code == 200 and "Nudge 2 leaders" in html
    assert f"targets for {last_month:%B}" in html and "/tracker/step/1/lesson/" in html
    subject = f"Your team's targets for {last_month:%B}"
    words = {
        "send": "1",
        "step1-teams": [one.pk, two.pk],
        "step1-subject": subject,
        "step1-body": "Edited: please send them today.",
    }
    response = _nudge(coach_client, last_month, **words)
    assert response.status_code == 302 and response.url == URL
    assert len(mail.outbox) == 2
    sent = Nudge.objects.get(learner=one.leader)
    assert sent.reason == STEP_SLIPPED and sent.coach == coach and sent.body == "Edited: please send them today."
    assert sent.link.endswith(reverse("tracker:communicate", args=[one.pk, last_month]))
    assert "Edited: please send them today." in mail.outbox[0].body
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Nudge sent to 2 leaders."]
    # the same nudge again (another click, another tab): skipped, said so
    response = _nudge(coach_client, last_month, **words)
    assert len(mail.outbox) == 2 and Nudge.objects.count() == 2
    assert [str(m) for m in response.wsgi_request._messages][-1] == (
        "No nudge sent. 2 skipped: already nudged about that step this month."
    )
    html = _get(coach_client, month=f"{last_month:%Y-%m}").content.decode()
    assert html.count("Nudged ") == 2  # the console shows who was already nudged


def test_a_nudge_never_reaches_a_non_consenting_or_done_leader(coach_client, program, last_month):
    private = leader_with_team(program, shares=False, team="Private Team")
    done = leader_with_team(program, team="Done Team")
    all_five(done, last_month)
    response = _nudge(coach_client, last_month, team=[private.pk, done.pk])
    assert response.status_code == 302
    response = _nudge(
        coach_client,
        last_month,
        send="1",
        **{"step1-teams": [private.pk, done.pk], "step1-subject": "Hi", "step1-body": "Send them"},
    )
    assert response.status_code == 302
    assert Nudge.objects.count() == 0 and mail.outbox == []


def test_empty_words_send_nothing_and_show_the_form_again(coach_client, program, last_month):
    team = leader_with_team(program)
    response = _nudge(
        coach_client, last_month, send="1", **{"step1-teams": [team.pk], "step1-subject": "", "step1-body": ""}
    )
    assert response.status_code == 400 and Nudge.objects.count() == 0
    assert "This field is required" in response.content.decode()


def test_a_foreign_next_address_is_not_followed(coach_client, program, last_month):
    team = leader_with_team(program)
    data = {"send": "1", "step1-teams": [team.pk], "step1-subject": "Hi", "step1-body": "Send them"}
    response = _nudge(coach_client, last_month, **{**data, "next": "https://evil.example/"})
    assert response.url == reverse("tracker:coach_console")


@pytest.mark.parametrize("size", [2, 12])
def test_console_query_count_does_not_grow(coach_client, program, last_month, size):
    for n in range(size):
        team = leader_with_team(program, name=f"Leader {n}", team=f"Team {n}")
        if n % 2:
            sent_on_time(team, last_month)
    _get(coach_client, month=f"{last_month:%Y-%m}")  # warm per-site caches
    with CaptureQueriesContext(connection) as ctx:
        html = _get(coach_client, month=f"{last_month:%Y-%m}").content.decode()
    assert html.count('class="badge badge--danger">Yes') == size // 2
    assert len(ctx.captured_queries) <= 12, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def test_one_rows_button_nudges_that_leader_only(coach_client, program, last_month):
    one = leader_with_team(program, name="Dana Reyes", team="North Sales")
    two = leader_with_team(program, name="Luis Ortega", team="South Sales")
    # Both boxes ticked, but the row's own button was pressed: only that row.
    compose = _nudge(coach_client, last_month, team=[one.pk, two.pk], only=two.pk).content.decode()
    assert "Nudge 1 leader" in compose and "Luis Ortega" in compose and "Dana Reyes" not in compose


def test_the_admin_menu_leads_the_coach_to_the_console(coach_client, client, program):
    assert URL in coach_client.get("/admin/").content.decode()
    leader = leader_with_team(program).leader
    client.login(email=leader.email, password=PASSWORD)
    assert URL not in client.get("/admin/").content.decode()
