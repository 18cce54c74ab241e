import csv
import datetime
import io
import json
from decimal import Decimal as D

from django.urls import reverse

from tracker import services
from tracker.charts import line_chart, sparkline
from tracker.views.exports import safe_cell

MARCH = datetime.date(2024, 3, 1)


def test_safe_cell_neutralises_formulas():
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for danger in ("+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(danger).startswith("'")
    assert safe_cell("Ana") == "Ana"
    assert safe_cell(None) == ""


def test_csv_and_json_export_whole_history(team, members, metrics, leader_client):
    members[0].name = '=HYPERLINK("http://evil","click")'
    members[0].save()
    services.month_values_save(
        team=team, month=MARCH, kind="targets", values={(members[0].pk, metrics[0].pk): D("100")}
    )
    services.month_values_save(
        team=team, month=MARCH, kind="results", values={(members[0].pk, metrics[0].pk): D("120")}
    )
    response = leader_client.get(reverse("tracker:export_csv", args=[team.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["month", "member", "email"]
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][7:] == ["100.00", "120.00", "120"]
    data = json.loads(leader_client.get(reverse("tracker:export_json", args=[team.pk])).content)
    assert data["values"] == [
        {"member": members[0].pk, "metric": metrics[0].pk, "month": "2024-03", "target": "100.00", "result": "120.00"}
    ]
    assert len(data["members"]) == 3


def test_charts_escape_labels_and_handle_gaps():
    months = [datetime.date(2024, m, 1) for m in (1, 2, 3)]
    svg = line_chart(months=months, series=[("<script>", [D("1"), None, D("0.5")])], title="A & B")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    assert svg.count("<polyline") == 2  # the missing month breaks the line
    assert "100%" in svg
    assert "no data" in sparkline([None, None])
    assert sparkline([D("0.5"), D("1.2")]).count("<circle") == 1
