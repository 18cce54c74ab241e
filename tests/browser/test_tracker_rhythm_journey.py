"""The leader's month in a real browser: the results and targets grids on a 375 px phone (no
sideways page scrolling: the grid scrolls in its own box with the member column kept in view), and
the month on a schedule: the "targets are due today" email, its link, sending the targets, the
acknowledgement reminder with "remind only those", and next month's digest. The scheduler's job is
driven directly with frozen times."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.models import Target, TargetAcknowledgement
from tracker.rhythm.calendar import first_working_day
from tracker.rhythm.dispatch import rhythm_reminders_send
from tracker.rules import add_months, month_start
from tracker.services.team_templates import team_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at(day: datetime.date, hour_utc: int = 13) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour_utc, tzinfo=datetime.UTC)


def _link(message, start: str) -> str:
    found = re.search(r"https?://[^\s]+(" + re.escape(start) + r"[^\s]*)", message.body)
    assert found, message.body
    return found.group(1)


def test_grids_fit_a_phone(page, login, screenshot, axe_check, home_page):
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = team_create_from_template(leader=leader, name="North Sales", template="brokerage")
    for name in ("Ana Diaz", "Ben Cole", "Cy Young", "Dana Whitfield-Okonkwo"):
        MemberFactory(team=team, name=name)
    login(page, leader)
    page.set_viewport_size({"width": 375, "height": 800})
    month = month_start(timezone.localdate())
    for path, shot in (
        (f"/tracker/{team.pk}/results/{month:%Y-%m}/", "results"),
        (f"/tracker/{team.pk}/targets/{month:%Y-%m}/", "targets"),
    ):
        page.goto(path)
        widths = page.evaluate(
            """() => { const box = document.querySelector('.tracker-grid').closest('.table-wrap');
                 return {page: document.documentElement.scrollWidth, box: box.clientWidth, grid: box.scrollWidth}; }"""
        )
        assert widths["page"] <= 375, widths  # no sideways page scrolling
        assert widths["grid"] > widths["box"]  # the grid scrolls inside its own box
        member = page.locator(".tracker-grid tbody th").first
        assert member.evaluate("e => getComputedStyle(e).position") == "sticky"
        page.locator(".tracker-grid").get_by_label("Dana Whitfield-Okonkwo, Days on market").fill("31")
        left_before = member.bounding_box()["x"]
        page.locator(".tracker-grid").get_by_label("Ana Diaz, Days on market").scroll_into_view_if_needed()
        assert abs(member.bounding_box()["x"] - left_before) < 2  # the names stay in view
        screenshot(page, f"tracker-{shot}-grid-375")
        axe_check(page)
        page.get_by_role("button", name=re.compile("^Save")).first.click()
        page.wait_for_load_state()
        assert "saved" in page.locator(".messages").inner_text()


def test_the_leaders_month_on_a_schedule(page, login, screenshot, axe_check, home_page):
    month = add_months(month_start(timezone.localdate()), 1)
    leader = TrackerUserFactory(full_name="Marcus Bell")
    team = TeamFactory(leader=leader, name="North Sales")
    sales = MetricFactory(team=team, name="Sales", order=0)
    ana = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com")
    ben = MemberFactory(team=team, name="Ben Cole", email="ben@example.com")
    for member in (ana, ben):
        Target.objects.create(member=member, metric=sales, month=month, value=Decimal(10))

    # The first working day of the month: "targets are due today".
    first_day = first_working_day(month, "US")
    rhythm_reminders_send(now=_at(first_day))
    due = next(m for m in mail.outbox if "due today" in m.subject)
    assert due.to == [leader.email]
    login(page, leader)
    page.goto(_link(due, "/tracker/"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Communicate {month:%B %Y} targets"
    mail.outbox.clear()
    page.get_by_role("button", name="Send targets to 2 members").click()
    page.wait_for_load_state()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "ben@example.com"]
    TargetAcknowledgement.objects.filter(member=ana).update(acknowledged_at=timezone.now())

    # Three days later: "1 of 2 haven't acknowledged", and the button reminds only Ben.
    mail.outbox.clear()
    rhythm_reminders_send(now=_at(first_day + datetime.timedelta(days=3)))
    waiting = next(m for m in mail.outbox if "acknowledged" in m.subject)
    assert waiting.subject == f"1 of 2 haven't acknowledged {month:%B}'s targets"
    page.goto(_link(waiting, "/tracker/"))
    screenshot(page, "tracker-rhythm-waiting")
    axe_check(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Remind only those 1").click()
    page.wait_for_load_state()
    assert "Reminder sent to 1 member" in page.locator(".messages").inner_text()
    assert [m.to for m in mail.outbox] == [["ben@example.com"]]

    # Next month's first working day: the digest about this month, once.
    mail.outbox.clear()
    following = first_working_day(add_months(month, 1), "US")
    rhythm_reminders_send(now=_at(following))
    rhythm_reminders_send(now=_at(following, 15))
    digests = [m for m in mail.outbox if "in five steps" in m.subject]
    assert len(digests) == 1
    assert digests[0].subject.startswith(f"North Sales: {month:%B} in five steps")
    assert "1. Communicate targets: done" in digests[0].body
