import datetime
from decimal import Decimal as D

from tracker.rules import (
    add_months,
    attainment,
    competition_ranks,
    first_working_day,
    month_range,
    parse_decimal,
    parse_month,
    value_problem,
    weighted_overall,
)


def test_attainment_higher_is_better():
    assert attainment(D("120"), D("100")) == D("1.2")
    assert attainment(D("50"), D("100")) == D("0.5")


def test_attainment_inverted_for_lower_is_better():
    assert attainment(D("2"), D("4"), higher_is_better=False) == D("2")  # capped
    assert attainment(D("5"), D("4"), higher_is_better=False) == D("0.8")
    assert attainment(D("0"), D("4"), higher_is_better=False) == D("2")


def test_attainment_missing_or_zero_target():
    assert attainment(None, D("10")) is None
    assert attainment(D("10"), None) is None
    assert attainment(D("10"), D("0")) is None


def test_attainment_capped():
    assert attainment(D("1000"), D("10")) == D("2")


def test_weighted_overall_skips_missing_and_zero_weight():
    assert weighted_overall([(D("1"), D("3")), (D("0.5"), D("1"))]) == D("0.875")
    assert weighted_overall([(None, D("3")), (D("0.5"), D("1")), (D("2"), D("0"))]) == D("0.5")
    assert weighted_overall([(None, D("1"))]) is None


def test_competition_ranking_with_ties():
    ranks = competition_ranks({"a": D("1.2"), "b": D("1.0"), "c": D("1.0"), "d": D("0.9"), "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_competition_ranking_treats_tiny_differences_as_ties():
    ranks = competition_ranks({"a": D("1") / D("3"), "b": D("0.33333")})
    assert ranks["a"] == ranks["b"] == 1


def test_months():
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert add_months(datetime.date(2026, 11, 1), 14) == datetime.date(2028, 1, 1)
    assert month_range(datetime.date(2026, 2, 17), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert parse_month("2026-03") == datetime.date(2026, 3, 1)
    assert parse_month("03/2026") == datetime.date(2026, 3, 1)
    assert parse_month("Mar 2026") == datetime.date(2026, 3, 1)
    assert parse_month("2026-13") is None
    assert parse_month("soon") is None


def test_first_working_day_skips_weekend():
    assert first_working_day(datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 2)  # Sunday -> Monday
    assert first_working_day(datetime.date(2026, 8, 1)) == datetime.date(2026, 8, 3)  # Saturday -> Monday
    assert first_working_day(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 1)


def test_parse_decimal_reads_what_people_type():
    assert parse_decimal("$12,500") == D("12500")
    assert parse_decimal(" 95% ") == D("95")
    assert parse_decimal("4.5") == D("4.5")
    assert parse_decimal("twelve") is None
    assert parse_decimal("NaN") is None
    assert parse_decimal("inf") is None
    assert parse_decimal("") is None


def test_value_problem_by_unit():
    assert value_problem(unit="count", value=D("-1")) == "must not be negative"
    assert value_problem(unit="average_1_5", value=D("6")) == "must be between 1 and 5"
    assert value_problem(unit="average_1_5", value=D("4.2")) is None
    assert value_problem(unit="percentage", value=D("101")) is not None
    assert value_problem(unit="money", value=D("250000")) is None
