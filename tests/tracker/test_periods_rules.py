"""Periods (quarter, year to date, fiscal years) and annual targets split by month: the pure rules."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.annual import KEPT, NEW, OFF, REPLACE, SAME, year_plan
from tracker.rules.periods import (
    MONTH,
    QUARTER,
    YEAR_TO_DATE,
    adds_up,
    combine,
    period_months,
    profile_problem,
    quarter_number,
    split_annual,
    year_start,
)

D = Decimal


def months(*pairs):
    return [datetime.date(y, m, 1) for y, m in pairs]


def test_period_months_calendar_year():
    may = datetime.date(2026, 5, 1)
    assert period_months(may, MONTH) == [may]
    assert period_months(may, QUARTER) == months((2026, 4), (2026, 5))
    assert period_months(may, YEAR_TO_DATE) == months(*[(2026, m) for m in range(1, 6)])


def test_period_months_fiscal_year_starting_in_october():
    feb = datetime.date(2027, 2, 1)
    assert year_start(feb, starts_in=10) == datetime.date(2026, 10, 1)
    assert period_months(feb, YEAR_TO_DATE, starts_in=10) == months(
        (2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2)
    )
    assert period_months(feb, QUARTER, starts_in=10) == months((2027, 1), (2027, 2))
    assert quarter_number(feb, starts_in=10) == 2
    assert quarter_number(datetime.date(2026, 9, 1), starts_in=10) == 4
    # The first month of a year is a quarter and a year to date of one month.
    assert period_months(datetime.date(2026, 10, 1), YEAR_TO_DATE, starts_in=10) == [datetime.date(2026, 10, 1)]


def test_what_adds_up_and_what_is_averaged():
    assert adds_up(unit="money", higher_is_better=True)
    assert adds_up(unit="count", higher_is_better=True)
    assert not adds_up(unit="count", higher_is_better=False)  # days on market
    assert not adds_up(unit="average_1_5", higher_is_better=True)
    assert not adds_up(unit="percentage", higher_is_better=True)


def test_combine_uses_only_months_with_both_target_and_result():
    pairs = [(D(100), D(120)), (D(100), None), (None, D(50)), (D(200), D(100))]
    assert combine(pairs, sums=True) == (D(300), D(220), 2)
    assert combine(pairs, sums=False) == (D(150), D(110), 2)
    assert combine([(D(1), None)], sums=True) == (None, None, 0)


def test_split_evenly_rounds_so_the_months_add_up():
    parts = split_annual(D(100), [D(1)] * 12)
    assert sum(parts) == D(100)
    assert parts[:4] == [D(9)] * 4 and parts[4:] == [D(8)] * 8  # the four earliest take the leftover


def test_split_keeps_cents_only_when_the_annual_figure_has_them():
    parts = split_annual(D("1000.01"), [D(1)] * 3)
    assert sum(parts) == D("1000.01")
    assert parts == [D("333.34"), D("333.34"), D("333.33")]


def test_split_refuses_negative_or_empty_shares():
    with pytest.raises(ValueError):
        split_annual(D(-1), [D(1)] * 12)
    with pytest.raises(ValueError):
        split_annual(D(10), [D(0)] * 12)


@settings(max_examples=200, deadline=None)
@given(
    annual=st.decimals(min_value=0, max_value=D("999999999999.99"), places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=12).filter(any),
)
def test_split_always_adds_up_and_is_never_negative(annual, weights):
    parts = split_annual(annual, weights)
    assert sum(parts) == annual
    assert all(p >= 0 for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)
    assert len(parts) == len(weights)


def test_profile_problems_name_what_is_wrong():
    even = [D("8.33")] * 11 + [D("8.37")]
    assert profile_problem(even) is None
    assert "99" in profile_problem([D("8.25")] * 12)
    assert "negative" in profile_problem([D(-10), D(20)] + [D(9)] * 10)
    assert "twelve" in profile_problem([D(50), D(50)])
    assert "two decimal" in profile_problem([D("8.333")] * 11 + [D("8.337")])


def test_year_plan_keeps_months_already_set_and_splits_the_rest():
    stored = [D(30)] + [None] * 11
    plan = year_plan(annual=D(120), weights=[D(1)] * 12, stored=stored, on_team=[True] * 12, replace=False, sums=True)
    assert plan[0].action == KEPT and plan[0].value == D(30)
    assert all(p.action == NEW for p in plan[1:])
    assert sum(p.value for p in plan) == D(120)


def test_year_plan_replaces_when_asked_and_skips_months_before_joining():
    stored = [D(30), D(10)] + [None] * 10
    on_team = [False] + [True] * 11
    plan = year_plan(annual=D(110), weights=[D(1)] * 12, stored=stored, on_team=on_team, replace=True, sums=True)
    assert plan[0].action == OFF
    assert plan[1].action == SAME and plan[1].value == D(10)
    assert {p.action for p in plan[2:]} == {NEW}
    assert sum(p.value for p in plan[1:]) == D(110)
    plan = year_plan(annual=D(121), weights=[D(1)] * 12, stored=stored, on_team=[True] * 12, replace=True, sums=True)
    assert plan[0].action == REPLACE


def test_year_plan_refuses_when_kept_months_exceed_the_year():
    with pytest.raises(ValueError, match="more than the annual target"):
        year_plan(
            annual=D(10),
            weights=[D(1)] * 12,
            stored=[D(20)] + [None] * 11,
            on_team=[True] * 12,
            replace=False,
            sums=True,
        )


def test_averaged_metric_gets_the_annual_figure_every_month():
    plan = year_plan(
        annual=D("4.5"), weights=[D(1)] * 12, stored=[None] * 12, on_team=[True] * 12, replace=False, sums=False
    )
    assert [p.value for p in plan] == [D("4.5")] * 12
