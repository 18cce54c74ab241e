"""Seasonality profiles can be changed (renamed, their twelve percentages changed), not only added
and deleted: bad input says what is wrong and saves nothing, and an edit made from an older version
is refused, showing the saved version beside the leader's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.tracker.factories import TeamFactory
from tracker import services
from tracker.models import SeasonalityProfile
from tracker.rules.numbers import COMMA

EVEN = ["8.33"] * 11 + ["8.37"]
SPRING = ["5", "5", "12", "14", "12", "10", "8", "8", "8", "7", "6", "5"]


@pytest.fixture
def profile(team):
    return SeasonalityProfile.objects.create(team=team, name="Even", percents=EVEN)


def url(team):
    return reverse("tracker:seasonality_profiles", args=[team.pk])


def _edit(client, team, profile, *, name="Spring peak", percents=SPRING, version=None):
    version = services.seasonality_profile_version(profile) if version is None else version
    data = {"profile": profile.pk, "version": version, "name": name}
    return client.post(url(team), data | {f"p{n}": p for n, p in enumerate(percents, 1)})


def test_the_edit_form_opens_with_the_saved_values(team, profile, leader_client):
    html = leader_client.get(url(team)).content.decode()
    assert f'href="?edit={profile.pk}#edit-profile">Change Even</a>' in html
    html = leader_client.get(url(team), {"edit": profile.pk}).content.decode()
    assert '<h2 id="edit-profile-title">Change Even</h2>' in html
    assert f'name="version" value="{services.seasonality_profile_version(profile)}"' in html
    assert 'name="p12" value="8.37"' in html and 'name="name" value="Even"' in html
    assert "New profile" not in html  # one form at a time


def test_rename_and_new_percentages_are_saved(team, profile, leader_client):
    response = _edit(leader_client, team, profile)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Spring peak" and profile.percents == SPRING
    assert "Profile &#x27;Spring peak&#x27; saved." in leader_client.get(url(team)).content.decode()


def test_the_teams_number_format_is_read_and_shown(team, profile, leader_client):
    team.number_format = COMMA
    team.save()
    html = leader_client.get(url(team), {"edit": profile.pk}).content.decode()
    assert 'name="p12" value="8,37"' in html
    assert _edit(leader_client, team, profile, percents=["8,33"] * 11 + ["8,37"], name="Even").status_code == 302
    profile.refresh_from_db()
    assert [Decimal(p) for p in profile.percents] == [Decimal(p) for p in EVEN]


@pytest.mark.parametrize(
    ("name", "percents", "message"),
    [
        ("Spring", ["8"] * 12, "add up to 96"),
        ("Spring", ["-10", "30"] + ["8"] * 10, "0 or more"),
        ("Spring", ["abc"] + ["8"] * 11, "is not a number"),
        ("Spring", ["200"] + ["0"] * 11, "more than 100"),
        ("   ", SPRING, "This field is required"),
        ("Taken", SPRING, "already has a profile called"),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(team, profile, leader_client, name, percents, message):
    SeasonalityProfile.objects.create(team=team, name="Taken", percents=EVEN)
    response = _edit(leader_client, team, profile, name=name, percents=percents)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "Change Even" in html  # still the edit form, with the leader's text
    profile.refresh_from_db()
    assert profile.name == "Even" and profile.percents == EVEN


def test_an_edit_from_an_older_version_is_refused_showing_both(team, profile, leader_client):
    opened = services.seasonality_profile_version(profile)
    # A co-leader (or another tab) changes the profile meanwhile.
    services.seasonality_profile_save(
        team=team, name="Winter dip", percents=[Decimal(p) for p in SPRING[::-1]], profile=profile
    )
    response = _edit(leader_client, team, profile, name="Spring peak", version=opened)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone changed this profile since you opened it" in html
    assert "Saved now: <strong>Winter dip</strong>" in html and "<li>Jan: 5 %</li>" in html
    assert 'name="name" value="Spring peak"' in html  # yours, kept in the form
    profile.refresh_from_db()
    assert profile.name == "Winter dip"
    # Saving again from the refused page (it now carries the saved version) keeps the leader's.
    assert f'name="version" value="{services.seasonality_profile_version(profile)}"' in html
    assert _edit(leader_client, team, profile, name="Spring peak").status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Spring peak" and profile.percents == SPRING


def test_an_edit_of_a_deleted_profile_is_refused(team, profile, leader_client):
    opened, pk = services.seasonality_profile_version(profile), profile.pk
    profile.delete()
    profile.pk = pk
    response = _edit(leader_client, team, profile, version=opened)
    assert response.status_code == 409
    assert "deleted since you opened it" in response.content.decode()
    assert not SeasonalityProfile.objects.exists()


def test_another_leader_gets_404(team, profile, intruder_client):
    assert _edit(intruder_client, team, profile).status_code == 404
    assert intruder_client.get(url(team), {"edit": profile.pk}).status_code == 404
    profile.refresh_from_db()
    assert profile.name == "Even"


def test_another_teams_profile_cannot_be_edited_from_this_team(team, profile, leader_client, intruder):
    theirs = SeasonalityProfile.objects.create(team=TeamFactory(leader=intruder), name="Theirs", percents=EVEN)
    assert _edit(leader_client, team, theirs).status_code == 409  # not this team's: as if deleted
    assert "Theirs" not in leader_client.get(url(team), {"edit": theirs.pk}).content.decode()
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
