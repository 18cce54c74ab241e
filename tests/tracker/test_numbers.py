"""Numbers read and shown as the team writes them: the team's number format in the grids and CSV
imports, CSV files as spreadsheets save them (delimiters, encodings), our own export read back,
and one formatter for money, counts and ratings."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from tracker import services
from tracker.models import Metric, Result, Team
from tracker.rules import parse_results_csv
from tracker.rules.numbers import COMMA, POINT, SPACE, defaults_for_time_zone, format_value, number_problem

from .factories import MemberFactory
from .test_integrity import form_data

TODAY = datetime.date(2024, 6, 15)
MARCH = datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    "text, number_format, value",
    [
        ("1,400,000.50", POINT, D("1400000.50")),
        ("$12,500", POINT, D("12500")),
        ("1.400.000,50", COMMA, D("1400000.50")),
        ("1.350.000 €", COMMA, D("1350000")),
        ("1,400", POINT, D("1400")),
        ("1,4", COMMA, D("1.4")),
        ("2,50", COMMA, D("2.5")),
        ("0,125", COMMA, D("0.125")),
        ("2.500,125", COMMA, D("2500.125")),
        ("1.400", COMMA, D("1400")),
        ("2,5", COMMA, D("2.5")),
        ("1 234,5", SPACE, D("1234.5")),
        ("95 %", POINT, D("95")),
    ],
)
def test_numbers_are_read_in_the_teams_format(text, number_format, value):
    assert number_problem(text, number_format) == (value, None)


@pytest.mark.parametrize(
    "text, number_format, readings",
    [
        ("2,5", POINT, ("2.5", "25")),  # never 25 silently
        ("1400000,50", POINT, ("1,400,000.5", "140,000,050")),  # never 140,000,050 silently
        ("1,400,000.50", COMMA, ("1.400.000,5", "140.000.050")),
        ("1.5", COMMA, ("1,5", "15")),
    ],
)
def test_a_number_written_in_the_other_format_is_refused_with_both_readings(text, number_format, readings):
    value, problem = number_problem(text, number_format)
    assert value is None
    assert f"could mean {readings[0]} or {readings[1]}" in problem
    assert "team settings" in problem


@pytest.mark.parametrize(
    "text, number_format, message",
    [
        ("2,500", COMMA, "'2,500' could mean 2,5 or 2.500: type 2,5 or 2.500 to say which."),
        ("1,400", COMMA, "'1,400' could mean 1,4 or 1.400: type 1,4 or 1.400 to say which."),
        ("2.500", POINT, "'2.500' could mean 2.5 or 2,500: type 2.5 or 2,500 to say which."),
        ("2,500", SPACE, "'2,500' could mean 2,5 or 2\u00a0500: type 2,5 or 2\u00a0500 to say which."),
    ],
)
def test_a_lone_mark_before_three_digits_is_refused_as_decimal_or_thousands(text, number_format, message):
    assert number_problem(text, number_format) == (None, message)


def test_not_a_number_is_named():
    assert number_problem("lots", POINT) == (None, "'lots' is not a number.")
    assert number_problem("  ", POINT) == (None, None)


def test_one_formatter_for_money_counts_ratings_and_percentages():
    assert format_value(D("1350000.00"), "money") == "$1,350,000"
    assert format_value(D("1350000.50"), "money") == "$1,350,000.50"
    assert format_value(D("1350000"), "money", number_format=COMMA, currency="EUR") == "1.350.000\u00a0€"
    assert format_value(D("1350000"), "money", currency="GBP") == "£1,350,000"
    assert format_value(D("3.00"), "count") == "3"
    assert format_value(D("1200"), "count") == "1,200"
    assert format_value(D("4.50"), "average_1_5") == "4.5 / 5"
    assert format_value(D("4.50"), "average_1_5", number_format=COMMA) == "4,5 / 5"
    assert format_value(D("95.00"), "percentage") == "95%"
    assert format_value(D("95.50"), "percentage", number_format=COMMA) == "95,5%"
    assert format_value(None, "money") == "–"


def test_new_teams_take_the_leaders_usual_format():
    assert defaults_for_time_zone("America/Chicago") == {
        "number_format": POINT,
        "currency": "USD",
        "paper_size": "Letter",
    }
    assert defaults_for_time_zone("Europe/Berlin") == {"number_format": COMMA, "currency": "EUR", "paper_size": "A4"}
    assert defaults_for_time_zone("Europe/London")["number_format"] == POINT


def test_team_create_defaults_from_the_leaders_time_zone(leader):
    leader.time_zone = "Europe/Madrid"
    User.objects.filter(pk=leader.pk).update(time_zone="Europe/Madrid")
    team = services.team_create(leader=leader, name="Madrid", default_metrics=False)
    assert (team.number_format, team.currency, team.paper_size) == (COMMA, "EUR", "A4")


def test_team_settings_change_the_format_and_a_missing_field_keeps_it(team, leader_client):
    url = reverse("tracker:team_settings", args=[team.pk])
    page = leader_client.get(url).content.decode()
    assert 'name="team-number_format"' in page and 'name="team-paper_size"' in page
    leader_client.post(
        url, {"team-name": "North", "team-number_format": COMMA, "team-currency": "EUR", "team-paper_size": "A4"}
    )
    team.refresh_from_db()
    assert (team.number_format, team.currency, team.paper_size) == (COMMA, "EUR", "A4")
    leader_client.post(url, {"team-name": "North again"})  # an older form without the new fields
    team.refresh_from_db()
    assert (team.name, team.number_format, team.currency) == ("North again", COMMA, "EUR")


def _comma_team(team):
    Team.objects.filter(pk=team.pk).update(number_format=COMMA, currency="EUR")
    team.refresh_from_db()
    return team


def test_grid_reads_decimal_commas_for_a_comma_team(team, members, metrics, leader_client):
    _comma_team(team)
    url = reverse("tracker:results", args=[team.pk, MARCH])
    data = form_data(leader_client.get(url))
    data[f"c_{members[0].pk}_{metrics[0].pk}"] = "1.400.000,50"
    data[f"c_{members[1].pk}_{metrics[0].pk}"] = "2,5"
    assert leader_client.post(url, data).status_code == 302
    assert Result.objects.get(member=members[0], metric=metrics[0]).value == D("1400000.50")
    assert Result.objects.get(member=members[1], metric=metrics[0]).value == D("2.5")
    page = leader_client.get(url).content.decode()
    assert 'value="1.400.000,5"' in page  # shown back the way the team writes it, and saved again unchanged
    assert leader_client.post(url, form_data(leader_client.get(url)), follow=True).status_code == 200
    assert Result.objects.get(member=members[0], metric=metrics[0]).value == D("1400000.50")


def test_grid_refuses_a_decimal_comma_for_a_point_team_and_saves_nothing(team, members, metrics, leader_client):
    url = reverse("tracker:results", args=[team.pk, MARCH])
    data = form_data(leader_client.get(url))
    data[f"c_{members[0].pk}_{metrics[0].pk}"] = "1400000,50"
    response = leader_client.post(url, data)
    assert response.status_code == 200
    assert "could mean 1,400,000.5 or 140,000,050" in response.content.decode()
    assert not Result.objects.exists()


def parse(team, data: bytes):
    return parse_results_csv(
        data=data,
        members=list(team.members.all()),
        metrics=list(team.metrics.all()),
        today=TODAY,
        number_format=team.number_format,
    )


@pytest.mark.parametrize(
    "data, encoding, delimiter",
    [
        ('member,month,Sales\nJosé Ruiz,2024-03,"1,500"\n'.encode(), "UTF-8", ","),
        ('member,month,Sales\nJosé Ruiz,2024-03,"1,500"\n'.encode("utf-8-sig"), "UTF-8", ","),
        ("member\tmonth\tSales\r\nJosé Ruiz\t2024-03\t1,500\r\n".encode("utf-16"), "UTF-16", "\t"),
        ("member\tmonth\tSales\r\nJosé Ruiz\t2024-03\t1,500\r\n".encode("utf-16-le"), "UTF-16", "\t"),
        ("member;month;Sales\r\nJosé Ruiz;2024-03;1,500\r\n".encode("cp1252"), "Windows-1252", ";"),
    ],
)
def test_csv_encodings_and_delimiters_are_detected(team, members, metrics, data, encoding, delimiter):
    jose = MemberFactory(team=team, name="José Ruiz", start_date=datetime.date(2024, 1, 1))
    parsed = parse(team, data)
    assert parsed.problems == []
    assert (parsed.encoding, parsed.delimiter) == (encoding, delimiter)
    assert [(r["member"], r["value"]) for r in parsed.rows] == [(jose.pk, "1500")]


def test_semicolon_file_with_decimal_commas_for_a_comma_team(team, members, metrics):
    _comma_team(team)
    parsed = parse(team, b"member;month;Sales;Closings\nAna Diaz;2024-03;1.400.000,50;4\nBen Cole;2024-03;2,5;\n")
    assert parsed.problems == []
    assert [r["value"] for r in parsed.rows] == ["1400000.50", "4", "2.5"]


def test_csv_decimal_comma_for_a_point_team_is_refused_with_both_readings(team, members, metrics):
    parsed = parse(team, b'member,month,Sales\nAna Diaz,2024-03,"1400000,50"\n')
    assert parsed.rows == []
    assert "could mean 1,400,000.5 or 140,000,050" in parsed.problems[0]["message"]


def test_header_only_file_says_so(team, members, metrics):
    parsed = parse(team, b"member,month,Sales\n")
    assert parsed.rows == []
    assert parsed.problems[0]["message"].startswith("The file has only its header row")


@pytest.mark.parametrize("number_format", [POINT, COMMA])
def test_our_own_export_imports_back(team, members, metrics, leader, leader_client, number_format):
    Team.objects.filter(pk=team.pk).update(number_format=number_format)
    team.refresh_from_db()
    values = {
        (members[0].pk, metrics[0].pk): D("1350000.50"),
        (members[1].pk, metrics[1].pk): D("4"),
        (members[0].pk, metrics[2].pk): D("0"),
    }
    services.month_values_save(team=team, month=MARCH, kind="results", values=values)
    exported = leader_client.get(reverse("tracker:export_csv", args=[team.pk])).content
    Result.objects.all().delete()
    upload = reverse("tracker:import", args=[team.pk])
    response = leader_client.post(upload, {"file": SimpleUploadedFile("history.csv", exported, "text/csv")})
    preview = team.imports.get()
    assert preview.problems == [], preview.problems
    assert response.status_code == 302
    services.results_import_apply(result_import=preview, applied_by=leader)
    assert {(r.member_id, r.metric_id): r.value for r in Result.objects.all()} == values


def test_import_preview_names_the_encoding_and_shows_values_formatted(team, members, metrics, leader_client):
    data = "member\tmonth\tSales\r\nAna Diaz\t2024-03\t1,500\r\n".encode("utf-16")
    leader_client.post(reverse("tracker:import", args=[team.pk]), {"file": SimpleUploadedFile("r.txt", data)})
    preview = team.imports.get()
    page = leader_client.get(reverse("tracker:import_preview", args=[team.pk, preview.pk])).content.decode()
    assert "read as UTF-16, columns separated by tabs" in page
    assert "$1,500" in page


def test_targets_email_and_pdf_context_use_the_teams_currency(team, members, metrics):
    _comma_team(team)
    html = render_to_string(
        "tracker/includes/value.html", {"team": team, "value": D("1350000"), "unit": Metric.Unit.MONEY}
    )
    assert html == "1.350.000\u00a0€"


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_meeting_and_target_sheet_pdfs_use_the_teams_paper_size(team, members, metrics, paper):
    from tracker.selectors.rankings import meeting_context

    Team.objects.filter(pk=team.pk).update(paper_size=paper)
    team.refresh_from_db()
    meeting = render_to_string("tracker/pdf/meeting.html", meeting_context(team, MARCH, for_pdf=True))
    assert f"size: {paper} landscape;" in meeting
    sheet = render_to_string(
        "tracker/pdf/target_sheet.html",
        {"team": team, "leader": team.leader, "member": members[0], "month": MARCH, "targets": [], "ack_url": ""},
    )
    assert f"size: {paper};" in sheet
