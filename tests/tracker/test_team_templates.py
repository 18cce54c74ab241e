"""A new team starts from a template: a homebuilder's, a brokerage's (days on market, lower is
better), the method's four, or blank."""

from django.urls import reverse

from tracker.models import Team


def _create(client, template, name="New team"):
    return client.post(reverse("tracker:team_list"), {"name": name, "show_full_rankings": "on", "template": template})


def test_homebuilder_template(leader_client, leader):
    assert _create(leader_client, "homebuilder").status_code == 302
    team = Team.objects.get(leader=leader, name="New team")
    assert [m.name for m in team.metrics.all()] == [
        "Sales volume",
        "Contracts",
        "Closings",
        "Customer rating",
        "Paperwork on time",
    ]


def test_brokerage_template_has_days_on_market_lower_is_better(leader_client, leader):
    _create(leader_client, "brokerage")
    metrics = {m.name: m for m in Team.objects.get(leader=leader).metrics.all()}
    assert list(metrics) == ["Listings taken", "Closed volume", "Closed units", "Client satisfaction", "Days on market"]
    assert metrics["Days on market"].higher_is_better is False
    assert metrics["Closed volume"].unit == "money"


def test_blank_template_and_a_made_up_one(leader_client, leader):
    _create(leader_client, "blank")
    assert Team.objects.get(leader=leader).metrics.count() == 0
    response = _create(leader_client, "nonsense", name="Other")
    assert response.status_code == 200 and not Team.objects.filter(name="Other").exists()


def test_the_form_offers_the_templates(leader_client):
    text = leader_client.get(reverse("tracker:team_list")).content.decode()
    assert "Real-estate brokerage" in text and "Homebuilder" in text
