"""Undo of an import is honest: it restores only cells still holding the imported value, lists and
keeps the rest, asks first, and says what it did."""

import datetime
from decimal import Decimal as D

from django.urls import reverse

from tracker import services
from tracker.models import Result, ResultImport, ValueChange

MARCH = datetime.date(2024, 3, 1)
FILE = b"member,month,Sales,Closings\nAna Diaz,2024-03,150,5\nBen Cole,2024-03,80,\n"


def applied(team, leader, members, metrics):
    ana = members[0]
    services.month_values_save(team=team, month=MARCH, kind="results", values={(ana.pk, metrics[0].pk): D("100")})
    preview = services.results_import_preview(team=team, uploaded_by=leader, filename="m.csv", data=FILE)
    services.results_import_apply(result_import=preview, applied_by=leader)
    return preview


def values():
    return {(r.member.name, r.metric.name): r.value for r in Result.objects.select_related("member", "metric")}


def test_undo_keeps_hand_corrections_made_after_the_import(team, members, metrics, leader):
    ana, ben, _ = members
    preview = applied(team, leader, members, metrics)
    # corrected by hand after the import: Ben's sales, and Ana's closings cleared
    services.month_values_save(
        team=team,
        month=MARCH,
        kind="results",
        values={(ben.pk, metrics[0].pk): D("85"), (ana.pk, metrics[1].pk): None},
    )
    plan = services.results_import_undo(result_import=preview, undone_by=leader)
    assert values() == {("Ana Diaz", "Sales"): D("100"), ("Ben Cole", "Sales"): D("85")}
    assert sorted((k["member"], k["imported"], k["now"]) for k in plan.kept) == [
        (ana.pk, "5", None),
        (ben.pk, "80", "85"),
    ]
    assert ResultImport.objects.get().undo_kept == plan.kept
    undo = ValueChange.objects.filter(how="undo").get()
    assert (undo.old_value, undo.new_value, undo.changed_by) == (D("150"), D("100"), leader)


def test_undo_asks_first_then_tells_the_truth(team, members, metrics, leader, leader_client):
    ben = members[1]
    preview = applied(team, leader, members, metrics)
    services.month_values_save(team=team, month=MARCH, kind="results", values={(ben.pk, metrics[0].pk): D("85")})
    url = reverse("tracker:import_undo", args=[team.pk, preview.pk])
    page = leader_client.get(url).content.decode()
    assert "Undo the import" in page
    assert "1 value goes back to what it held before the import" in page
    assert "1 value the import added is removed" in page
    assert "1 value changed since the import is kept" in page and "Ben Cole" in page
    assert ResultImport.objects.get().status == "applied"  # the confirm page changes nothing
    response = leader_client.post(url, follow=True)
    html = response.content.decode()
    assert "every value is back as it was" not in html
    assert "1 value(s) put back as they were before it, 1 it had added removed." in html
    assert "1 value(s) changed since the import were kept as they are" in html
    assert "Changed after the import, so kept by the undo" in html
    assert values() == {("Ana Diaz", "Sales"): D("100"), ("Ben Cole", "Sales"): D("85")}


def test_undo_of_an_import_applied_before_the_history_uses_the_rows(team, members, metrics, leader):
    """Imports applied by the old code kept `previous` in each row and have no history rows."""
    ana = members[0]
    preview = applied(team, leader, members, metrics)
    ValueChange.objects.filter(how="import").delete()
    preview.refresh_from_db()
    preview.rows = [
        {**row, "previous": "100" if (row["member"], row["metric"]) == (ana.pk, metrics[0].pk) else None}
        for row in preview.rows
    ]
    preview.save()
    services.results_import_undo(result_import=preview)
    assert values() == {("Ana Diaz", "Sales"): D("100")}


def test_preview_shows_old_and_new_values_side_by_side(team, members, metrics, leader, leader_client):
    services.month_values_save(
        team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("100")}
    )
    preview = services.results_import_preview(team=team, uploaded_by=leader, filename="m.csv", data=FILE)
    html = leader_client.get(reverse("tracker:import_preview", args=[team.pk, preview.pk])).content.decode()
    assert '<th scope="col" class="num">Now</th>' in html and "In the file" in html
    assert "$100" in html and ">$150<" in html  # both formatted as money


def test_preview_names_the_file_and_the_kept_values_in_one_read(team, members, metrics, leader, leader_client):
    """The rows and the values an undo kept are named by one read of the members and metrics."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    preview = services.results_import_preview(team=team, uploaded_by=leader, filename="m.csv", data=FILE)
    services.results_import_apply(result_import=preview, applied_by=leader)
    ana = members[0]
    services.month_values_save(team=team, month=MARCH, kind="results", values={(ana.pk, metrics[0].pk): D("7")})
    services.results_import_undo(result_import=preview)  # Ana's changed value is kept
    with CaptureQueriesContext(connection) as ctx:
        html = leader_client.get(reverse("tracker:import_preview", args=[team.pk, preview.pk])).content.decode()
    assert "Ana Diaz" in html and "$7" in html
    member_reads = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "tracker_member"."id" AS "pk"')]
    assert len(member_reads) == 1, [q["sql"] for q in ctx.captured_queries]
