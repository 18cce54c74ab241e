"""Months: a month is the date of its first day. Pure functions, no database."""

import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(end: datetime.date, count: int) -> list[datetime.date]:
    """The `count` months ending with `end`, oldest first."""
    return [add_months(month_start(end), -i) for i in range(count - 1, -1, -1)]


def parse_month(text: str) -> datetime.date | None:
    """'2026-03', '2026-03-01', '03/2026' or 'Mar 2026' -> date(2026, 3, 1); None when unreadable."""
    text = (text or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%b %Y", "%B %Y", "%Y/%m"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def first_working_day(month: datetime.date) -> datetime.date:
    """First Monday-Friday of the month (public holidays differ by place and are not counted)."""
    day = month_start(month)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def month_end(month: datetime.date) -> datetime.date:
    """The last day of `month`."""
    return add_months(month, 1) - datetime.timedelta(days=1)
