import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracker import services
from tracker.models import Result, ResultImport
from tracker.rules import MAX_ROWS, parse_results_csv

TODAY = datetime.date(2024, 6, 15)


def parse(team, text, today=TODAY):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_results_csv(data=data, members=list(team.members.all()), metrics=list(team.metrics.all()), today=today)


def test_good_file_matches_members_by_email_or_name(team, members, metrics):
    parsed = parse(team, 'Member,Month,Sales,Closings\nana@example.com,2024-03,"$12,500",4\nben cole,2024-03,9000,\n')
    assert parsed.problems == []
    assert [(r["member"], r["metric"], r["month"], r["value"]) for r in parsed.rows] == [
        (members[0].pk, metrics[0].pk, "2024-03-01", "12500"),
        (members[0].pk, metrics[1].pk, "2024-03-01", "4"),
        (members[1].pk, metrics[0].pk, "2024-03-01", "9000"),
    ]


def test_every_problem_named_by_row_and_column(team, members, metrics):
    members[2].active = False
    members[2].save()
    text = (
        "member,month,Sales,Closings,Bonus\n"
        "Zoe Nobody,2024-03,1,1,\n"  # row 2 unknown member
        "Ana Diaz,2024-03,lots,-2,\n"  # row 3 bad number + negative
        "Ana Diaz,2024-03,5,5,\n"  # row 4 duplicate of row 3
        "Ben Cole,2024-09,1,1,\n"  # row 5 future month
        "Cy Lane,2024-03,1,1,\n"  # row 6 inactive
        "Ana Diaz,2023-12,1,1,\n"  # row 7 before start
        "Ben Cole,sometime,1,1,\n"  # row 8 bad month
    )
    problems = {(p["row"], p["column"]): p["message"] for p in parse(team, text).problems}
    assert problems[(1, "Bonus")] == "'Bonus' is not one of this team's metrics."
    assert problems[(2, "member")] == "Unknown member 'Zoe Nobody'."
    assert problems[(3, "Sales")] == "'lots' is not a number."
    assert problems[(3, "Closings")] == "-2 must not be negative."
    assert problems[(4, "member")].startswith("Duplicate row: Ana Diaz, March 2024 is already on row 3")
    assert problems[(5, "month")] == "September 2024 is in the future."
    assert problems[(6, "member")] == "Cy Lane is inactive."
    assert "started in January 2024" in problems[(7, "month")]
    assert problems[(8, "month")].startswith("'sometime' is not a month")


@pytest.mark.parametrize(
    "data, message",
    [
        ("member,month,Sales\n".encode("utf-16"), "only its header row"),
        (b"\xef\xbb\xbfmember;month;Sales\r\n\r\n", "only its header row"),
        (b"PK\x03\x04\x00\x00binary spreadsheet", "binary"),
        (b"", "empty"),
        (b"who,when\nx,y\n", "must name the columns"),
    ],
)
def test_whole_file_problems(team, members, metrics, data, message):
    parsed = parse(team, data)
    assert parsed.rows == []
    assert len(parsed.problems) == 1
    assert parsed.problems[0]["row"] in (0, 1)
    assert message in parsed.problems[0]["message"]


def test_too_many_rows_rejected(team, members, metrics):
    text = "member,month,Sales\n" + "Ana Diaz,2024-03,1\n" * (MAX_ROWS * 10)
    parsed = parse(team, text)
    assert parsed.rows == []
    assert "100,000 rows; the limit is 10,000" in parsed.problems[0]["message"]


def test_preview_apply_undo_restores_previous_values(team, members, metrics, leader):
    ana, ben, _ = members
    march = datetime.date(2024, 3, 1)
    services.month_values_save(team=team, month=march, kind="results", values={(ana.pk, metrics[0].pk): D("100")})
    preview = services.results_import_preview(
        team=team,
        uploaded_by=leader,
        filename="march.csv",
        data=b"member,month,Sales\nAna Diaz,2024-03,150\nBen Cole,2024-03,80\n",
    )
    assert Result.objects.count() == 1  # a preview writes nothing
    services.results_import_apply(result_import=preview)
    assert dict(Result.objects.values_list("member__name", "value")) == {"Ana Diaz": D("150"), "Ben Cole": D("80")}
    with pytest.raises(ValidationError):
        services.results_import_apply(result_import=preview)
    services.results_import_undo(result_import=preview)
    assert dict(Result.objects.values_list("member__name", "value")) == {"Ana Diaz": D("100")}
    assert ResultImport.objects.get().status == "undone"


def test_import_with_problems_cannot_be_applied(team, members, metrics, leader):
    preview = services.results_import_preview(
        team=team,
        uploaded_by=leader,
        filename="bad.csv",
        data=b"member,month,Sales\nAna Diaz,2024-03,150\nNobody,2024-03,1\n",
    )
    with pytest.raises(ValidationError):
        services.results_import_apply(result_import=preview)
    assert Result.objects.count() == 0


def test_apply_is_all_or_nothing_when_team_changed(team, members, metrics, leader):
    preview = services.results_import_preview(
        team=team,
        uploaded_by=leader,
        filename="m.csv",
        data=b"member,month,Sales\nAna Diaz,2024-03,150\nBen Cole,2024-03,80\n",
    )
    services.member_set_active(member=members[1], active=False)
    with pytest.raises(ValidationError):
        services.results_import_apply(result_import=preview)
    assert Result.objects.count() == 0


def test_upload_preview_confirm_undo_through_the_pages(team, members, metrics, leader_client):
    upload = SimpleUploadedFile(
        "r.csv", b"member,month,Sales\nAna Diaz,2024-03,150\nBen Cole,2024-03,oops\n", "text/csv"
    )
    response = leader_client.post(reverse("tracker:import", args=[team.pk]), {"file": upload})
    preview = ResultImport.objects.get()
    assert response.url == reverse("tracker:import_preview", args=[team.pk, preview.pk])
    html = leader_client.get(response.url).content.decode()
    assert "1 problem: nothing has been imported" in html and "&#x27;oops&#x27; is not a number." in html
    leader_client.post(reverse("tracker:import_apply", args=[team.pk, preview.pk]))
    assert Result.objects.count() == 0
    # fixed file
    upload = SimpleUploadedFile("r.csv", b"member,month,Sales\nAna Diaz,2024-03,150\nBen Cole,2024-03,90\n", "text/csv")
    response = leader_client.post(reverse("tracker:import", args=[team.pk]), {"file": upload})
    fixed = ResultImport.objects.exclude(pk=preview.pk).get()
    assert b"Confirm and import" in leader_client.get(response.url).content
    leader_client.post(reverse("tracker:import_apply", args=[team.pk, fixed.pk]))
    assert Result.objects.count() == 2
    leader_client.post(reverse("tracker:import_undo", args=[team.pk, fixed.pk]))
    assert Result.objects.count() == 0
