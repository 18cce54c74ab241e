"""Reading a results CSV: one row per member and month, one column per metric (or our own export).

`parse_results_csv` never writes: it returns the values it would save and every problem it found,
each named by row (as a spreadsheet numbers it, header = row 1) and column. Whole-file problems
(binary, wrong encoding, too many rows, no usable header) come back as a single problem on row 0.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .attainment import value_problem
from .months import parse_month
from .numbers import POINT, number_problem

if TYPE_CHECKING:  # for annotations only: this module never touches the database
    from tracker.models import Member, Metric

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
MEMBER_COLUMNS = ("member", "name", "email", "rep")
MONTH_COLUMNS = ("month", "period")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class ParsedImport:
    rows: list[dict] = field(
        default_factory=list
    )  # {"member": id, "metric": id, "month": "YYYY-MM-DD", "value": "123.45"}
    problems: list[dict] = field(default_factory=list)  # {"row": n, "column": name, "message": text}
    row_count: int = 0
    encoding: str = ""  # as found: "UTF-8", "UTF-16" or "Windows-1252"
    delimiter: str = ","

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append({"row": row, "column": column, "message": message})


# Byte-order marks first: Excel's "Unicode text" is UTF-16 with a BOM (and tab-delimited).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _decode(data: bytes, result: ParsedImport) -> str | None:
    """The file's text, naming the encoding found in `result.encoding`: UTF-8 (with or without
    BOM), UTF-16 (with a BOM, or without one when every other byte is zero) or Windows-1252."""
    if len(data) > MAX_BYTES:
        result.problem(
            0, "", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it by year and import each part."
        )
        return None
    candidates = [(codec, name) for bom, codec, name in _BOMS if data.startswith(bom)]
    if not candidates:
        head = data[:8192]
        if head and head[1::2].count(0) > len(head) // 4 and b"\x00\x00" not in head:
            candidates = [("utf-16-le", "UTF-16")]
        elif head[0::2].count(0) > len(head) // 4 and b"\x00\x00" not in head:
            candidates = [("utf-16-be", "UTF-16")]
        elif b"\x00" in head:
            result.problem(
                0, "", "This looks like a binary file (a spreadsheet?), not CSV. Use File > Save As > CSV UTF-8."
            )
            return None
        else:
            candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # anywhere: a NUL would reach the stored problems, which PostgreSQL refuses
            result.problem(
                0, "", "This looks like a binary file (a spreadsheet?), not CSV. Use File > Save As > CSV UTF-8."
            )
            return None
        result.encoding = name
        return text.lstrip("\ufeff")
    result.problem(
        0, "", "The file's text encoding is not one we can read. Save it again as 'CSV UTF-8' and upload that."
    )
    return None


def _delimiter(text: str) -> str:
    """The delimiter the header row uses most: comma, semicolon (Excel where the decimal mark is a
    comma) or tab (Excel's "Unicode text"). Metric names never contain them, so the header tells."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _metric_key(name: str) -> str:
    return " ".join((name or "").split()).lower()


def parse_results_csv(
    *,
    data: bytes,
    members: list[Member],
    metrics: list[Metric],
    today: datetime.date,
    number_format: str = POINT,
) -> ParsedImport:
    """Check every row and cell of an uploaded results file against the team's members and metrics.

    Two layouts are read: one column per metric ("member, month, Sales, Closings"), and the
    tracker's own CSV export (one row per member, month and metric, with 'metric' and 'result'
    columns; its targets are not imported). Numbers are read in the team's `number_format`; the
    export's plain numbers (1350000.00) are read whatever the format."""
    result = ParsedImport()
    text = _decode(data, result)
    if text is None:
        return result
    result.delimiter = _delimiter(text)
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=result.delimiter))
    except csv.Error as exc:
        result.problem(0, "", f"The file could not be read as CSV ({exc}).")
        return result
    table = [r for r in table if any(c.strip() for c in r)] if table else []
    if not table:
        result.problem(0, "", "The file is empty.")
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problem(
            0, "", f"The file has {len(table) - 1:,} rows; the limit is {MAX_ROWS:,}. Split it and import each part."
        )
        return result

    header = [h.strip() for h in table[0]]
    lowered = [_metric_key(h) for h in header]
    member_cols = [i for i, h in enumerate(lowered) if h in MEMBER_COLUMNS]
    month_col = next((i for i, h in enumerate(lowered) if h in MONTH_COLUMNS), None)
    if not member_cols or month_col is None:
        result.problem(
            1, "", "The first row must name the columns: 'member' (name or email), 'month' and one per metric."
        )
        return result
    metrics_by_name = {_metric_key(m.name): m for m in metrics if not m.archived}
    long_layout = "metric" in lowered and "result" in lowered  # the tracker's own export
    metric_cols: dict[int, Metric] = {}
    if long_layout:
        metric_col, value_col = lowered.index("metric"), lowered.index("result")
    else:
        for i, h in enumerate(lowered):
            if i in member_cols or i == month_col or not h:
                continue
            if h in metrics_by_name:
                metric_cols[i] = metrics_by_name[h]
            else:
                result.problem(1, header[i], f"'{header[i]}' is not one of this team's metrics.")
        if not metric_cols:
            names = ", ".join(m.name for m in metrics)
            result.problem(1, "", f"No column matches a metric of this team: {names}.")
            return result
    if len(table) == 1:
        result.problem(
            0, "", "The file has only its header row: there are no results in it. Add one row per member and month."
        )
        return result

    by_email = {m.email.lower(): m for m in members if m.email}
    by_name: dict[str, list[Member]] = {}
    for m in members:
        by_name.setdefault(m.name.strip().lower(), []).append(m)
    this_month = today.replace(day=1)
    seen: dict[tuple, int] = {}
    width = len(header)

    for row_number, row in enumerate(table[1:], start=2):
        result.row_count += 1
        row = row + [""] * (width - len(row))
        texts = [row[i].strip() for i in member_cols]
        member_label = header[member_cols[0]]
        member = next((by_email[t.lower()] for t in texts if t.lower() in by_email), None)
        member_text = next((t for t in texts if t), "")
        if member is None:
            matches = by_name.get(member_text.lower(), [])
            if len(matches) > 1:
                result.problem(
                    row_number, member_label, f"More than one member is called '{member_text}': use their email."
                )
                continue
            member = matches[0] if matches else None
        if member is None:
            result.problem(row_number, member_label, f"Unknown member '{member_text}'.")
            continue
        month = parse_month(row[month_col])
        if month is None:
            result.problem(row_number, header[month_col], f"'{row[month_col].strip()}' is not a month (use 2026-03).")
            continue
        if month > this_month:
            result.problem(row_number, header[month_col], f"{month:%B %Y} is in the future.")
            continue
        if not member.active:
            result.problem(row_number, member_label, f"{member.name} is inactive.")
            continue
        if month < member.start_month:
            result.problem(
                row_number,
                header[month_col],
                f"{member.name} started in {member.start_date:%B %Y}, after {month:%B %Y}.",
            )
            continue
        if long_layout:
            metric = metrics_by_name.get(_metric_key(row[metric_col]))
            if metric is None:
                result.problem(
                    row_number, header[metric_col], f"'{row[metric_col].strip()}' is not one of this team's metrics."
                )
                continue
            cells = [(header[value_col], metric, row[value_col].strip())]
            key: tuple = (member.pk, month, metric.pk)
            what = f"{member.name}, {metric.name}, {month:%B %Y}"
        else:
            cells = [(header[col], metric, row[col].strip()) for col, metric in metric_cols.items()]
            key = (member.pk, month)
            what = f"{member.name}, {month:%B %Y}"
        if key in seen:
            result.problem(row_number, member_label, f"Duplicate row: {what} is already on row {seen[key]}.")
            continue
        seen[key] = row_number
        for column, metric, cell in cells:
            if not cell:
                continue
            value, problem = number_problem(cell, number_format)
            if problem and long_layout and _PLAIN.fullmatch(cell):
                value, problem = Decimal(cell), None  # the export writes plain numbers
            if problem:
                result.problem(row_number, column, problem)
                continue
            problem = value_problem(unit=metric.unit, value=value)
            if problem:
                result.problem(row_number, column, f"{cell} {problem}.")
                continue
            result.rows.append(
                {
                    "row": row_number,
                    "member": member.pk,
                    "metric": metric.pk,
                    "month": month.isoformat(),
                    "value": str(value),
                }
            )
    return result
