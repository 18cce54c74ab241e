"""One member at a time (issue 17): the card form goes through the grid's save service and its
concurrency rules; and the grid's team total shows stored values after a refused save."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tracker import services
from tracker.models import Result, Target, TeamCoLeader, ValueChange
from tracker.rules.numbers import COMMA

MARCH = datetime.date(2024, 3, 1)


def card(team, member, kind="results"):
    return reverse(f"tracker:{kind}_card", args=[team.pk, MARCH, member.pk])


@pytest.fixture
def euro_team(team):
    team.number_format, team.currency = COMMA, "EUR"
    team.save()
    return team


def test_grid_links_to_the_card_and_the_card_has_one_labelled_input_per_metric(
    euro_team, members, metrics, leader_client
):
    ana = members[0]
    services.month_values_save(
        team=euro_team, month=MARCH, kind="results", values={(ana.pk, metrics[0].pk): D("12500.5")}
    )
    grid = leader_client.get(reverse("tracker:results", args=[euro_team.pk, MARCH])).content.decode()
    assert f'href="{card(euro_team, ana)}">One member at a time' in grid
    page = leader_client.get(card(euro_team, ana)).content.decode()
    for metric in metrics:
        assert f'<label for="id_c_{ana.pk}_{metric.pk}">{metric.name}' in page
    assert page.count('inputmode="decimal"') == 3
    assert 'value="12.500,5"' in page  # the team's number format
    assert f'name="o_{ana.pk}_{metrics[0].pk}" value="12500.5"' in page
    assert "Save and next member" in page


def test_saving_a_card_writes_only_that_members_cells_and_history(euro_team, members, metrics, leader_client):
    ana, ben, _ = members
    sales, closings, _ = metrics
    services.month_values_save(team=euro_team, month=MARCH, kind="results", values={(ben.pk, sales.pk): D("700")})
    before = ValueChange.objects.count()
    data = {
        f"c_{ana.pk}_{sales.pk}": "1.200,50",
        f"o_{ana.pk}_{sales.pk}": "",
        f"c_{ana.pk}_{closings.pk}": "3",
        f"o_{ana.pk}_{closings.pk}": "",
        # a cell of another member smuggled into the card is not read
        f"c_{ben.pk}_{sales.pk}": "1",
        f"o_{ben.pk}_{sales.pk}": "700",
        "next": "1",
    }
    response = leader_client.post(card(euro_team, ana), data)
    assert response.status_code == 302 and response.url == card(euro_team, ben)  # "Save and next member"
    assert set(Result.objects.values_list("member__name", "metric__name", "value")) == {
        ("Ana Diaz", "Sales", D("1200.50")),
        ("Ana Diaz", "Closings", D("3")),
        ("Ben Cole", "Sales", D("700")),
    }
    history = ValueChange.objects.order_by("pk")[before:]
    assert {(h.member_id, h.how, h.changed_by_id) for h in history} == {(ana.pk, "grid", euro_team.leader_id)}
    assert len(history) == 2
    # a missing input never clears; an explicitly emptied one does
    leader_client.post(card(euro_team, ana), {f"c_{ana.pk}_{closings.pk}": "", f"o_{ana.pk}_{closings.pk}": "3"})
    assert set(Result.objects.filter(member=ana).values_list("metric__name", flat=True)) == {"Sales"}


def test_a_stale_card_shows_theirs_and_yours_and_changes_nothing(team, members, metrics, leader_client):
    ana = members[0]
    sales = metrics[0]
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(ana.pk, sales.pk): D("5000")})
    opened = leader_client.get(card(team, ana, "targets")).content.decode()
    assert f'name="o_{ana.pk}_{sales.pk}" value="5000"' in opened
    # a co-leader saves meanwhile
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="targets",
        values={(ana.pk, sales.pk): D("6000")},
        originals={(ana.pk, sales.pk): D("5000")},
    )
    before = ValueChange.objects.count()
    response = leader_client.post(
        card(team, ana, "targets"), {f"c_{ana.pk}_{sales.pk}": "7000", f"o_{ana.pk}_{sales.pk}": "5000", "save": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed since you opened this card" in page
    assert "$6,000" in page and "$7,000" in page  # theirs vs yours
    assert Target.objects.get().value == D("6000")
    assert ValueChange.objects.count() == before
    # saving again from the conflict card takes mine over theirs, knowingly
    assert f'name="o_{ana.pk}_{sales.pk}" value="6000"' in page
    leader_client.post(card(team, ana, "targets"), {f"c_{ana.pk}_{sales.pk}": "7000", f"o_{ana.pk}_{sales.pk}": "6000"})
    assert Target.objects.get().value == D("7000")


def test_a_bad_number_says_so_and_saves_nothing(euro_team, members, metrics, leader_client):
    ana = members[0]
    response = leader_client.post(
        card(euro_team, ana),
        {f"c_{ana.pk}_{metrics[0].pk}": "100", f"c_{ana.pk}_{metrics[1].pk}": "lots", "save": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;lots&#x27; is not a number." in page and "Nothing was saved." in page
    assert 'aria-invalid="true"' in page
    assert Result.objects.count() == 0


def test_another_leader_gets_404_and_a_coleader_may_save(team, members, metrics, client, intruder):
    ana = members[0]
    client.login(email=intruder.email, password=PASSWORD)
    assert client.get(card(team, ana)).status_code == 404
    assert client.post(card(team, ana), {f"c_{ana.pk}_{metrics[0].pk}": "1"}).status_code == 404
    other = intruder.tracker_teams.get()
    other_member = other.members.create(name="Zed", start_date=datetime.date(2024, 1, 1))
    assert Result.objects.count() == 0
    co = UserFactory()
    TeamCoLeader.objects.create(team=team, user=co)
    client.logout()
    client.login(email=co.email, password=PASSWORD)
    assert client.get(card(team, other_member)).status_code == 404  # a member of another team
    response = client.post(card(team, ana), {f"c_{ana.pk}_{metrics[0].pk}": "42", "save": "1"})
    assert response.status_code == 302
    assert Result.objects.get().value == D("42")


def test_grid_total_after_a_refused_save_shows_stored_values(euro_team, members, metrics, leader_client):
    ana, ben, _ = members
    sales = metrics[0]
    services.month_values_save(team=euro_team, month=MARCH, kind="results", values={(ana.pk, sales.pk): D("21500.50")})
    url = reverse("tracker:results", args=[euro_team.pk, MARCH])
    response = leader_client.post(
        url,
        {
            f"c_{ana.pk}_{sales.pk}": "9.100",
            f"o_{ana.pk}_{sales.pk}": "21500.5",
            f"c_{ben.pk}_{sales.pk}": "lots",
            "save": "1",
        },
    )
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "21.500,50\u00a0€" in page.split("Team total")[1]
    assert "9.100\u00a0€" not in page
    assert Result.objects.get().value == D("21500.50")
