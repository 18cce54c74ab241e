"""Working days: Monday to Friday, less the public holidays of the team's country (the `holidays`
library). Pure functions, no database."""

import datetime
import functools

import holidays

from ..rules import add_months, month_start


@functools.cache
def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country the holidays library knows, by name."""
    from holidays.registry import COUNTRIES

    return sorted(((v[1], module.replace("_", " ").title()) for module, v in COUNTRIES.items()), key=lambda c: c[1])


@functools.lru_cache(maxsize=512)
def _holidays(country: str, year: int) -> frozenset[datetime.date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:  # an unknown code: weekends only
        return frozenset()


def is_working_day(day: datetime.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def first_working_day(month: datetime.date, country: str) -> datetime.date:
    day = month_start(month)
    while not is_working_day(day, country):
        day += datetime.timedelta(days=1)
    return day


def working_days_before(day: datetime.date, n: int, country: str) -> datetime.date:
    """The working day `n` working days before `day` (not counting `day` itself)."""
    while n > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day, country):
            n -= 1
    return day


def working_day_on_or_after(day: datetime.date, country: str) -> datetime.date:
    while not is_working_day(day, country):
        day += datetime.timedelta(days=1)
    return day


def next_month(day: datetime.date) -> datetime.date:
    return add_months(month_start(day), 1)
