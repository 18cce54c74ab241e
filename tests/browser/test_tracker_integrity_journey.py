"""Two tabs on the same results grid: the second save shows what changed since it was opened
(theirs vs yours) and overwrites nothing until the leader chooses; then an import undone after a
hand correction asks first, keeps the correction and says so."""

import datetime
from decimal import Decimal

import pytest

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker import services
from tracker.models import Result, ValueChange
from tracker.rules import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_tabs_conflict_then_honest_undo(page, login, screenshot, axe_check, home_page):
    month = add_months(month_start(datetime.date.today()), -1)
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = TeamFactory(leader=leader, name="North Sales")
    sales = MetricFactory(team=team, name="Sales", order=0)
    ana = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com", start_date=datetime.date(2020, 1, 1))
    ben = MemberFactory(team=team, name="Ben Cole", email="ben@example.com", start_date=datetime.date(2020, 1, 1))
    services.month_values_save(team=team, month=month, kind="results", values={(ana.pk, sales.pk): Decimal(100)})
    login(page, leader)
    url = f"/tracker/{team.pk}/results/{month:%Y-%m}/"

    tab_a = page
    tab_a.goto(url)
    tab_b = page.context.new_page()
    tab_b.goto(url)

    # tab B saves first
    tab_b.get_by_label("Ana Diaz, Sales").fill("150")
    tab_b.get_by_label("Ben Cole, Sales").fill("80")
    tab_b.get_by_role("button", name="Save results").first.click()
    tab_b.wait_for_load_state()
    assert "1 added, 1 changed, 0 cleared" in tab_b.locator(".messages").inner_text()

    # tab A, opened before, changes Ana too: nothing of B's is overwritten, the conflict is shown
    tab_a.get_by_label("Ana Diaz, Sales").fill("120")
    tab_a.get_by_role("button", name="Save results").first.click()
    tab_a.wait_for_load_state()
    panel = tab_a.locator(".grid-conflicts")
    assert "1 value changed since you opened this page" in panel.inner_text()
    row = panel.get_by_role("row", name="Ana Diaz")
    assert row.inner_text().split("\t") == ["Ana Diaz", "Sales", "100", "150", "120"]  # opened, theirs, yours
    assert Result.objects.get(member=ana).value == 150 and Result.objects.get(member=ben).value == 80
    screenshot(tab_a, "tracker-grid-conflict")
    axe_check(tab_a)

    # "keep theirs" reloads the grid as stored
    tab_a.get_by_role("link", name="Keep theirs").click()
    tab_a.wait_for_load_state()
    assert tab_a.get_by_label("Ana Diaz, Sales").input_value() == "150"
    assert Result.objects.get(member=ana).value == 150

    # tab B, still on its old page, tries again: conflict; this time "save mine over theirs"
    services.month_values_save(team=team, month=month, kind="results", values={(ana.pk, sales.pk): Decimal(170)})
    tab_b.get_by_label("Ana Diaz, Sales").fill("160")
    tab_b.get_by_role("button", name="Save results").first.click()
    tab_b.wait_for_load_state()
    assert tab_b.locator(".grid-conflicts").count() == 1
    tab_b.get_by_role("button", name="Save mine over theirs").click()
    tab_b.wait_for_load_state()
    assert Result.objects.get(member=ana).value == 160
    assert tab_b.locator(".grid-conflicts").count() == 0

    # the month's history shows every change, with who made it
    tab_b.get_by_role("link", name=f"Changes in {month:%B}").click()
    tab_b.wait_for_load_state()
    assert tab_b.locator("tbody tr").count() == ValueChange.objects.count() == 5
    axe_check(tab_b)

    # an import, a hand correction, then undo: asks first, keeps the correction, says so
    preview = services.results_import_preview(
        team=team,
        uploaded_by=leader,
        filename="month.csv",
        data=f"member,month,Sales\nAna Diaz,{month:%Y-%m},200\nBen Cole,{month:%Y-%m},90\n".encode(),
    )
    services.results_import_apply(result_import=preview, applied_by=leader)
    services.month_values_save(team=team, month=month, kind="results", values={(ben.pk, sales.pk): Decimal(95)})
    tab_a.goto(f"/tracker/{team.pk}/import/{preview.pk}/")
    tab_a.get_by_role("link", name="Undo this import").click()
    tab_a.wait_for_load_state()
    assert "1 value changed since the import is kept" in tab_a.locator("main").inner_text()
    assert Result.objects.get(member=ana).value == 200  # the confirm page changed nothing
    axe_check(tab_a)
    tab_a.get_by_role("button", name="Undo the import").click()
    tab_a.wait_for_load_state()
    message = tab_a.locator(".messages").inner_text()
    assert "1 value(s) put back" in message and "1 value(s) changed since the import were kept" in message
    assert Result.objects.get(member=ana).value == 160 and Result.objects.get(member=ben).value == 95
