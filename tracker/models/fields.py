"""Months and values as the tracker stores them.

Months are stored as a `date` on day 1 of the month, so they never depend on a time zone.
Values are Decimals: money, counts, 1-5 averages and percentages all fit in one field.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

VALUE_FIELD = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


def validate_month(value) -> None:
    if value is not None and value.day != 1:
        raise ValidationError("A month is stored as its first day.")
