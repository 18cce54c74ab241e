"""The tracker journey in a real browser: the leader copies last month's targets into next month,
communicates them (one email with a PDF per member), imports results from a CSV (a bad file is
refused with the problem named by row and column, the fixed one applies), then opens the rankings
and the meeting view."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.models import Result, ResultImport, Target, TargetAcknowledgement
from tracker.rules import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_communicate_import_and_rank(page, login, screenshot, axe_check, home_page, tmp_path):
    this_month = month_start(timezone.localdate())
    next_month = add_months(this_month, 1)
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = TeamFactory(leader=leader, name="North Sales")
    sales = MetricFactory(team=team, name="Sales", order=0)
    closings = MetricFactory(team=team, name="Closings", order=1)
    ana = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com")
    ben = MemberFactory(team=team, name="Ben Cole", email="ben@example.com")
    cy = MemberFactory(team=team, name="Cy Young", email="")
    for member in (ana, ben, cy):
        Target.objects.create(member=member, metric=sales, month=this_month, value=Decimal(10))
        Target.objects.create(member=member, metric=closings, month=this_month, value=Decimal(4))

    login(page, leader)

    # Next month's targets: copy last month's, then save
    page.goto(f"/tracker/{team.pk}/targets/{next_month:%Y-%m}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Targets for {next_month:%B %Y}"
    page.get_by_role("link", name=f"Copy {this_month:%B}'s targets").click()
    page.wait_for_load_state()
    assert page.get_by_label("Ana Diaz, Sales").input_value() == "10"
    assert page.get_by_label("Cy Young, Closings").input_value() == "4"
    page.get_by_label("Ben Cole, Sales").fill("12")
    screenshot(page, "tracker-targets-grid")
    axe_check(page)
    page.get_by_role("button", name="Save targets").first.click()
    page.wait_for_load_state()
    assert f"Targets for {next_month:%B %Y} saved (6 added" in page.locator(".messages").inner_text()
    assert Target.objects.filter(member__team=team, month=next_month).count() == 6
    assert Target.objects.get(member=ben, metric=sales, month=next_month).value == 12

    # Communicate them: one email with a PDF target sheet per member with an email address
    page.get_by_role("link", name="Communicate targets").click()
    page.wait_for_load_state()
    assert "No email address for: Cy Young" in page.locator("main").inner_text()
    page.get_by_role("button", name="Send targets to 2 members").click()
    page.wait_for_load_state()
    assert f"Targets for {next_month:%B %Y} sent to 2 members." in page.locator(".messages").inner_text()
    assert sorted(to for m in mail.outbox for to in m.to) == ["ana@example.com", "ben@example.com"]
    for message in mail.outbox:
        assert any((a[2] if isinstance(a, tuple) else a.mimetype) == "application/pdf" for a in message.attachments), (
            f"no PDF attached to the email to {message.to}"
        )
    assert TargetAcknowledgement.objects.filter(communication__team=team, member__in=[ana, ben]).count() == 2
    assert "Acknowledged: 0 of 2" in page.locator("main").inner_text()

    # Import this month's results: a bad row is named by row and column and blocks the import
    bad = tmp_path / "results-bad.csv"
    bad.write_text(
        f"member,month,Sales,Closings\n"
        f"ana@example.com,{this_month:%Y-%m},8,3\n"
        f"Ben Cole,{this_month:%Y-%m},twelve,4\n"
        f"Cy Young,{this_month:%Y-%m},5,1\n"
    )
    page.goto(f"/tracker/{team.pk}/import/")
    page.get_by_label("Results CSV").set_input_files(bad)
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "1 problem: nothing has been imported" in alert.inner_text()
    problem_row = alert.locator("tbody tr").first
    assert [c.strip() for c in problem_row.locator("td").all_inner_texts()] == [
        "3",
        "Sales",
        "'twelve' is not a number.",
    ]
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    screenshot(page, "tracker-import-preview-error")
    assert not Result.objects.filter(member__team=team).exists()

    # The fixed file previews cleanly and applies
    good = tmp_path / "results.csv"
    good.write_text(
        f"member,month,Sales,Closings\n"
        f"ana@example.com,{this_month:%Y-%m},8,3\n"
        f"Ben Cole,{this_month:%Y-%m},12,4\n"
        f"Cy Young,{this_month:%Y-%m},5,1\n"
    )
    page.get_by_role("link", name="upload it again").click()
    page.get_by_label("Results CSV").set_input_files(good)
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 0
    assert "6 values ready to import" in page.locator("main").inner_text()
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_load_state()
    assert "Imported 6 values (6 added, 0 changed" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="Undo this import…").is_visible()  # asks first, on its own page
    assert ResultImport.objects.get(team=team, filename="results.csv").status == "applied"
    assert Result.objects.get(member=ben, metric=sales, month=this_month).value == 12
    assert Result.objects.filter(member__team=team, month=this_month).count() == 6

    # Rankings: Ben (120% and 100%) leads, Cy (50% and 25%) trails
    page.goto(f"/tracker/{team.pk}/rankings/{this_month:%Y-%m}/")
    overall = page.locator("table.table").first.locator("tbody tr")
    names = [overall.nth(i).locator("td").nth(2).inner_text().strip() for i in range(overall.count())]
    assert names == ["Ben Cole", "Ana Diaz", "Cy Young"]
    assert overall.first.locator("td").first.inner_text().strip() == "1"
    screenshot(page, "tracker-rankings")
    axe_check(page)

    # The meeting view: large-type rankings
    page.get_by_role("link", name="Open the meeting view").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"{this_month:%B %Y} results"
    board = page.locator("table.meeting__table")
    assert board.is_visible()
    assert board.locator("tbody tr").first.locator("td").nth(1).inner_text().strip() == "Ben Cole"
    font_px = float(board.locator("tbody td").nth(1).evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert font_px >= 20, f"meeting view names are {font_px}px, not large type"
    screenshot(page, "tracker-meeting")
