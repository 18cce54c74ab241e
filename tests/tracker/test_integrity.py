"""No lost updates: a grid save never deletes a cell it did not send, never overwrites a value
saved since the form was opened (two tabs), and every change is in the history."""

import datetime
import re
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.models import Result, Target, ValueChange

from .factories import MemberFactory

MARCH = datetime.date(2024, 3, 1)


def form_data(response) -> dict:
    """The grid form as a browser would post it: every input with its value, plus save=1."""
    html = response.content.decode()
    form = html[html.index('class="tracker-grid-form"') :]
    form = form[: form.index("</form>")]
    data = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1).startswith("apply_"):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    data["save"] = "1"
    return data


def stored(model=Result):
    return {(r.member.name, r.metric.name): r.value for r in model.objects.select_related("member", "metric")}


def test_a_cell_missing_from_the_post_is_never_deleted(team, members, metrics, leader_client):
    ana, ben, cy = members
    values = {(m.pk, k.pk): D("10") for m in members for k in metrics}
    services.month_values_save(team=team, month=MARCH, kind="results", values=values)
    url = reverse("tracker:results", args=[team.pk, MARCH])
    response = leader_client.post(url, {f"c_{ana.pk}_{metrics[0].pk}": "12", "save": "1"})
    assert response.status_code == 302
    assert Result.objects.count() == 9  # the old code cleared the 8 cells the POST did not carry
    assert Result.objects.get(member=ana, metric=metrics[0]).value == D("12")
    # an explicitly emptied cell still clears
    leader_client.post(url, {f"c_{ben.pk}_{metrics[0].pk}": "", "save": "1"})
    assert Result.objects.count() == 8


def test_two_tabs_member_added_in_one_survives_a_save_in_the_other(team, members, metrics, leader_client):
    url = reverse("tracker:results", args=[team.pk, MARCH])
    tab_a = form_data(leader_client.get(url))
    dee = MemberFactory(team=team, name="Dee Park", start_date=datetime.date(2024, 1, 1))
    tab_b = form_data(leader_client.get(url))
    tab_b[f"c_{dee.pk}_{metrics[0].pk}"] = "500"
    tab_b[f"c_{dee.pk}_{metrics[1].pk}"] = "3"
    assert leader_client.post(url, tab_b).status_code == 302
    tab_a[f"c_{members[0].pk}_{metrics[0].pk}"] = "700"
    response = leader_client.post(url, tab_a, follow=True)
    assert "1 added, 0 changed, 0 cleared" in response.content.decode()
    assert stored() == {
        ("Dee Park", "Sales"): D("500"),
        ("Dee Park", "Closings"): D("3"),
        ("Ana Diaz", "Sales"): D("700"),
    }


def test_two_tabs_the_second_save_shows_the_conflict_and_overwrites_nothing(team, members, metrics, leader_client):
    ana, ben, _ = members
    sales, closings = metrics[0], metrics[1]
    services.month_values_save(
        team=team, month=MARCH, kind="results", values={(ana.pk, sales.pk): D("100"), (ben.pk, sales.pk): D("50")}
    )
    url = reverse("tracker:results", args=[team.pk, MARCH])
    tab_a, tab_b = form_data(leader_client.get(url)), form_data(leader_client.get(url))
    tab_b[f"c_{ana.pk}_{sales.pk}"] = "150"  # B corrects Ana
    tab_b[f"c_{ben.pk}_{sales.pk}"] = "60"  # and Ben
    assert leader_client.post(url, tab_b).status_code == 302
    tab_a[f"c_{ana.pk}_{sales.pk}"] = "120"  # A changes Ana too: a real conflict
    tab_a[f"c_{ana.pk}_{closings.pk}"] = "4"  # and adds a value nobody touched
    # A left Ben's 50 as opened: B's 60 must stay without a fuss
    response = leader_client.post(url, tab_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 value changed since you opened this page" in html
    assert "Save mine over theirs" in html and "Keep theirs" in html
    conflict_table = html[html.index("grid-conflicts") : html.index("</section>")]
    assert "Ana Diaz" in conflict_table and "$100" in conflict_table and "$150" in conflict_table
    assert "$120" in conflict_table
    assert stored() == {
        ("Ana Diaz", "Sales"): D("150"),
        ("Ben Cole", "Sales"): D("60"),
        ("Ana Diaz", "Closings"): D("4"),
    }
    # "save mine": the re-rendered grid holds A's value and the new originals, so it now wins
    again = form_data(response)
    assert again[f"c_{ana.pk}_{sales.pk}"] == "120" and again[f"o_{ana.pk}_{sales.pk}"] == "150"
    assert again[f"c_{ben.pk}_{sales.pk}"] == "60"
    assert leader_client.post(url, again).status_code == 302
    assert stored()[("Ana Diaz", "Sales")] == D("120")
    assert stored()[("Ben Cole", "Sales")] == D("60")


def test_targets_grid_has_the_same_protection(team, members, metrics, leader_client):
    ana = members[0]
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(ana.pk, metrics[0].pk): D("1000")})
    url = reverse("tracker:targets", args=[team.pk, MARCH])
    tab_a, tab_b = form_data(leader_client.get(url)), form_data(leader_client.get(url))
    tab_b[f"c_{ana.pk}_{metrics[0].pk}"] = ""  # B clears it
    leader_client.post(url, tab_b)
    tab_a[f"c_{ana.pk}_{metrics[0].pk}"] = "1200"
    response = leader_client.post(url, tab_a)
    assert response.status_code == 200 and "changed since you opened this page" in response.content.decode()
    assert Target.objects.count() == 0


def test_a_forged_original_changes_nothing(team, members, metrics, leader_client):
    url = reverse("tracker:results", args=[team.pk, MARCH])
    data = {f"c_{members[0].pk}_{metrics[0].pk}": "5", f"o_{members[0].pk}_{metrics[0].pk}": "<script>", "save": "1"}
    response = leader_client.post(url, data)
    assert response.status_code == 200 and "reload it" in response.content.decode()
    assert Result.objects.count() == 0


def test_every_grid_change_is_recorded_and_can_be_restored(team, members, metrics, leader, leader_client):
    ana = members[0]
    sales = metrics[0]
    url = reverse("tracker:results", args=[team.pk, MARCH])
    for value in ("100", "130", ""):
        leader_client.post(url, {f"c_{ana.pk}_{sales.pk}": value, "save": "1"})
    changes = list(ValueChange.objects.order_by("pk").values_list("old_value", "new_value", "how", "changed_by"))
    assert changes == [
        (None, D("100"), "grid", leader.pk),
        (D("100"), D("130"), "grid", leader.pk),
        (D("130"), None, "grid", leader.pk),
    ]
    month_page = leader_client.get(reverse("tracker:history", args=[team.pk, MARCH])).content.decode()
    assert month_page.count("Ana Diaz") >= 3 and "$130" in month_page
    cell_url = reverse("tracker:history_cell", args=[team.pk, MARCH, ana.pk, sales.pk, "result"])
    assert "Restore this value" in leader_client.get(cell_url).content.decode()
    second = ValueChange.objects.get(new_value=D("130"))
    response = leader_client.post(reverse("tracker:history_restore", args=[team.pk, second.pk]), follow=True)
    assert "is back to $130." in response.content.decode()
    assert Result.objects.get().value == D("130")
    restore = ValueChange.objects.first()
    assert (restore.old_value, restore.new_value, restore.how) == (None, D("130"), "restore")
    # restoring the value it already holds is refused, nothing recorded
    leader_client.post(reverse("tracker:history_restore", args=[team.pk, second.pk]))
    assert ValueChange.objects.count() == 4


def test_history_csv_export(team, members, metrics, leader_client):
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("9")})
    response = leader_client.get(reverse("tracker:history_csv", args=[team.pk]))
    text = b"".join(response.streaming_content).decode()
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "changed_at (America/Chicago),changed_by,how,kind,month,member,metric,old_value,new_value"
    assert lines[1].endswith(",grid,target,2024-03,Ana Diaz,Sales,,9.00")
    # the rows are written after the response left the middleware: still in the leader's zone
    changed_at = timezone.localtime(ValueChange.objects.get().changed_at, ZoneInfo("America/Chicago"))
    assert lines[1].startswith(changed_at.isoformat(timespec="seconds") + ",")


def test_restore_of_another_teams_change_is_404(team, members, metrics, intruder_client):
    services.month_values_save(team=team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("9")})
    change = ValueChange.objects.get()
    response = intruder_client.post(reverse("tracker:history_restore", args=[change.team_id, change.pk]))
    assert response.status_code == 404
    assert Target.objects.get().value == D("9")


def test_too_many_decimals_refused(team, members, metrics):
    with pytest.raises(ValidationError):
        services.month_values_save(
            team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("1.005")}
        )
