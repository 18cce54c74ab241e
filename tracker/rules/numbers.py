"""Numbers as a team writes them: reading what people type or import, and the one formatter for
money, counts, ratings and percentages on every page, agenda, PDF and email.

A team has a number format (which character is the decimal mark, which groups thousands) and a
currency. Reading is strict about the format: `1,400` is 1400 for a "1,234.56" team and `1,4` is
1.4 for a "1.234,56" team. Text that only makes sense in the *other* format (`2,5` or `1400000,50`
for a "1,234.56" team) is refused with both readings named, never guessed: `2,5` must not become
25. So is a lone decimal mark followed by exactly three digits (`2,500` for a "1.234,56" team,
`2.500` for a "1,234.56" one): it is a decimal in the team's format and thousands in the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

POINT = "point"  # 1,234.56
COMMA = "comma"  # 1.234,56
SPACE = "space"  # 1 234,56


@dataclass(frozen=True)
class NumberFormat:
    key: str
    decimal: str
    group: str
    label: str


FORMATS = {
    POINT: NumberFormat(POINT, ".", ",", "1,234.56 (decimal point)"),
    COMMA: NumberFormat(COMMA, ",", ".", "1.234,56 (decimal comma)"),
    SPACE: NumberFormat(SPACE, ",", " ", "1 234,56 (decimal comma, space between thousands)"),
}
FORMAT_CHOICES = [(f.key, f.label) for f in FORMATS.values()]

# Symbols for the currencies leaders have asked for; any other ISO code is shown as the code.
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "GBP": "£", "EUR": "€", "CHF": "CHF"}
CURRENCY_CHOICES = [
    ("USD", "US dollar ($)"),
    ("CAD", "Canadian dollar (CA$)"),
    ("AUD", "Australian dollar (A$)"),
    ("NZD", "New Zealand dollar (NZ$)"),
    ("GBP", "Pound sterling (£)"),
    ("EUR", "Euro (€)"),
    ("CHF", "Swiss franc (CHF)"),
]
PAPER_CHOICES = [("Letter", "US Letter"), ("A4", "A4")]

_SPACES = re.compile(r"[\s\u00a0\u202f']")  # spaces, no-break spaces and the Swiss apostrophe
_SYMBOLS = re.compile(r"^(?:[$€£]|CA\$|A\$|NZ\$|CHF|[A-Z]{3})|(?:[$€£%]|CHF|[A-Z]{3})$")


class AmbiguousNumber(ValueError):
    """Text that reads as a number only in another format, or (`own_format`) as a decimal in the
    team's format and as a whole number of thousands in the other: `readings` are the candidates."""

    def __init__(self, text: str, readings: list[Decimal], *, own_format: bool = False):
        super().__init__(text)
        self.text, self.readings, self.own_format = text, readings, own_format


def _thousands_reading(bare: str, fmt: NumberFormat) -> Decimal | None:
    """The whole number the other format makes of a lone decimal mark followed by exactly three
    digits (`2,500` -> 2500 for a decimal-comma team, `1.400` -> 1400 for a decimal-point one);
    None for anything else (`2,5`, `0,125`, `1.234,567`)."""
    whole, mark, fraction = bare.partition(fmt.decimal)
    if not mark or len(fraction) != 3 or not fraction.isdigit() or not whole.isdigit():
        return None
    if len(whole) > 3 or whole.startswith("0"):
        return None
    return Decimal(whole + fraction)


def _strict(text: str, fmt: NumberFormat) -> Decimal | None:
    """The value of `text` in `fmt`, or None unless it is written exactly that way (groups of
    three after the first, at most one decimal mark)."""
    group = "" if fmt.group == " " else re.escape(fmt.group)  # spaces were removed before
    dec = re.escape(fmt.decimal)
    pattern = rf"\d+(?:{dec}\d+)?" if not group else rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{dec}\d+)?"
    if not re.fullmatch(pattern, text):
        return None
    plain = text.replace(fmt.group, "").replace(fmt.decimal, ".") if group else text.replace(fmt.decimal, ".")
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def _bare(text: str) -> str:
    text = _SPACES.sub("", (text or "").strip())
    while True:  # "$ 12,500", "95 %", "1.350.000 €", "USD 1,000"
        stripped = _SYMBOLS.sub("", text)
        if stripped == text:
            return text
        text = stripped


def parse_number(text: str, number_format: str = POINT) -> Decimal | None:
    """Read a number as people type it in this team's format: '$12,500', '95%', ' 4,5 '.

    None when it is not a number at all; AmbiguousNumber when it reads as a number only in the
    other format (the exception carries both readings for the message)."""
    fmt = FORMATS.get(number_format, FORMATS[POINT])
    bare = _bare(text)
    negative = bare.startswith("-")
    bare = bare.removeprefix("-")
    if not bare:
        return None
    value = _strict(bare, fmt)
    if value is not None:
        thousands = _thousands_reading(bare, fmt)
        if thousands is not None:  # "2,500" in a decimal-comma team: 2,5, or 2.500 typed the other way?
            raise AmbiguousNumber(text, [value, thousands], own_format=True)
        return -value if negative else value
    readings: list[Decimal] = []
    for other in FORMATS.values():
        reading = _strict(bare, other)
        if reading is not None and reading not in readings:
            readings.append(reading)
    if readings:
        digits_only = re.sub(r"[.,]", "", bare)
        if digits_only.isdigit() and Decimal(digits_only) not in readings:
            readings.append(Decimal(digits_only))  # what ignoring the marks would give, e.g. 25 for "2,5"
        raise AmbiguousNumber(text, readings)
    return None


def number_problem(text: str, number_format: str = POINT) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, message) for a typed or imported cell; ('', -> (None, None))."""
    try:
        value = parse_number(text, number_format)
    except AmbiguousNumber as exc:
        fmt = FORMATS.get(number_format, FORMATS[POINT])
        both = " or ".join(format_number(r, number_format=number_format, places=None) for r in exc.readings)
        if exc.own_format:
            return None, f"'{text.strip()}' could mean {both}: type {both} to say which."
        example = format_number(Decimal("1234.5"), number_format=number_format, places=2)
        return None, (
            f"'{text.strip()}' could mean {both}: this team writes numbers as {example} "
            f"({'decimal point' if fmt.decimal == '.' else 'decimal comma'}). Type it that way, or change "
            "the number format in team settings."
        )
    if value is None:
        return None, (f"'{text.strip()}' is not a number." if (text or "").strip() else None)
    return value, None


def format_number(value: Decimal, *, number_format: str = POINT, places: int | None = 0, group: bool = True) -> str:
    """`value` in the team's format. places=None keeps its own decimals (trailing zeros dropped)."""
    fmt = FORMATS.get(number_format, FORMATS[POINT])
    if places is None:
        text = f"{value.normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if group and len(whole) > 3:
        parts = []
        while len(whole) > 3:
            whole, parts = whole[:-3], [whole[-3:], *parts]
        whole = fmt.group.replace(" ", "\u00a0").join([whole, *parts])
    return sign + whole + (fmt.decimal + fraction if fraction else "")


def format_value(value: Decimal | None, unit: str, *, number_format: str = POINT, currency: str = "USD") -> str:
    """A metric's value as every page, agenda, PDF and email shows it: `$1,350,000`, `3`,
    `4.5 / 5`, `95%`; a dash for no value. Money shows cents only when there are some."""
    if value is None:
        return "–"
    if unit == "money":
        places = 0 if value == value.to_integral() else 2
        amount = format_number(value, number_format=number_format, places=places)
        symbol = CURRENCY_SYMBOLS.get(currency, currency)
        if number_format != POINT:  # "1.350.000 €", as decimal-comma countries write it
            return f"{amount}\u00a0{symbol}"
        return f"{symbol}\u00a0{amount}" if symbol.isalpha() else f"{symbol}{amount}"
    if unit == "percentage":
        return format_number(value, number_format=number_format, places=None if value % 1 else 0) + "%"
    if unit == "average_1_5":
        return format_number(value, number_format=number_format, places=1) + " / 5"
    return format_number(value, number_format=number_format, places=None)


def format_input(value: Decimal | None, *, number_format: str = POINT) -> str:
    """A stored value as it is put back into a grid input: the team's marks, no symbols."""
    if value is None:
        return ""
    return format_number(value, number_format=number_format, places=None)


# Teams default to what is usual where their leader lives (the leader's time zone stands in for a
# locale): decimal comma in most of continental Europe and South America, A4 outside the Americas.
_POINT_ZONES = ("Europe/London", "Europe/Dublin", "Europe/Gibraltar", "Europe/Malta")
_CURRENCY_ZONES = {"Europe/London": "GBP", "America/Toronto": "CAD", "America/Vancouver": "CAD", "Europe/Zurich": "CHF"}
_EURO_ZONES = ("Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels")


def defaults_for_time_zone(time_zone: str) -> dict[str, str]:
    """{"number_format", "currency", "paper_size"} for a new team of a leader in `time_zone`."""
    zone = time_zone or ""
    comma = (zone.startswith("Europe/") and zone not in _POINT_ZONES) or zone in (
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "America/Santiago",
        "America/Bogota",
    )
    if zone.startswith("Australia/"):
        currency = "AUD"
    elif zone == "Pacific/Auckland":
        currency = "NZD"
    elif zone in _EURO_ZONES or zone in ("Europe/Vienna", "Europe/Lisbon", "Europe/Dublin", "Europe/Helsinki"):
        currency = "EUR"
    else:
        currency = _CURRENCY_ZONES.get(zone, "USD")
    return {
        "number_format": COMMA if comma else POINT,
        "currency": currency,
        "paper_size": "Letter" if zone.startswith(("America/", "US/", "Canada/")) else "A4",
    }
