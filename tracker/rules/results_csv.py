"""Reading a results CSV: one row per member and month, one column per metric.

`parse_results_csv` never writes: it returns the values it would save and every problem it found,
each named by row (as a spreadsheet numbers it, header = row 1) and column. Whole-file problems
(binary, wrong encoding, too many rows, no usable header) come back as a single problem on row 0.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .attainment import parse_decimal, value_problem
from .months import parse_month

if TYPE_CHECKING:  # for annotations only: this module never touches the database
    from tracker.models import Member, Metric

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
MEMBER_COLUMNS = ("member", "name", "email", "rep")
MONTH_COLUMNS = ("month", "period")


@dataclass
class ParsedImport:
    rows: list[dict] = field(
        default_factory=list
    )  # {"member": id, "metric": id, "month": "YYYY-MM-DD", "value": "123.45"}
    problems: list[dict] = field(default_factory=list)  # {"row": n, "column": name, "message": text}
    row_count: int = 0

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append({"row": row, "column": column, "message": message})


def _decode(data: bytes, result: ParsedImport) -> str | None:
    if len(data) > MAX_BYTES:
        result.problem(
            0, "", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it by year and import each part."
        )
        return None
    if b"\x00" in data:  # anywhere: a NUL would reach the stored problems, which PostgreSQL refuses
        result.problem(
            0, "", "This looks like a binary file (a spreadsheet?), not CSV. Use File > Save As > CSV UTF-8."
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problem(0, "", "The file is not UTF-8 text. Save it again as 'CSV UTF-8' and upload that file.")
        return None


def parse_results_csv(
    *, data: bytes, members: list[Member], metrics: list[Metric], today: datetime.date
) -> ParsedImport:
    """Check every row and cell of an uploaded results file against the team's members and metrics."""
    result = ParsedImport()
    text = _decode(data, result)
    if text is None:
        return result
    try:
        table = list(csv.reader(io.StringIO(text)))
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
    lowered = [h.lower() for h in header]
    member_col = next((i for i, h in enumerate(lowered) if h in MEMBER_COLUMNS), None)
    month_col = next((i for i, h in enumerate(lowered) if h in MONTH_COLUMNS), None)
    if member_col is None or month_col is None:
        result.problem(
            1, "", "The first row must name the columns: 'member' (name or email), 'month' and one per metric."
        )
        return result
    metrics_by_name = {m.name.strip().lower(): m for m in metrics if not m.archived}
    metric_cols: dict[int, Metric] = {}
    for i, h in enumerate(lowered):
        if i in (member_col, month_col) or not h:
            continue
        if h in metrics_by_name:
            metric_cols[i] = metrics_by_name[h]
        else:
            result.problem(1, header[i], f"'{header[i]}' is not one of this team's metrics.")
    if not metric_cols:
        result.problem(1, "", "No column matches a metric of this team: " + ", ".join(m.name for m in metrics) + ".")
        return result

    by_email = {m.email.lower(): m for m in members if m.email}
    by_name: dict[str, list[Member]] = {}
    for m in members:
        by_name.setdefault(m.name.strip().lower(), []).append(m)
    this_month = today.replace(day=1)
    seen: dict[tuple[int, datetime.date], int] = {}

    for row_number, row in enumerate(table[1:], start=2):
        result.row_count += 1
        row = row + [""] * (len(header) - len(row))
        member_text = row[member_col].strip()
        member = by_email.get(member_text.lower())
        if member is None:
            matches = by_name.get(member_text.lower(), [])
            if len(matches) > 1:
                result.problem(
                    row_number, header[member_col], f"More than one member is called '{member_text}': use their email."
                )
                continue
            member = matches[0] if matches else None
        if member is None:
            result.problem(row_number, header[member_col], f"Unknown member '{member_text}'.")
            continue
        month = parse_month(row[month_col])
        if month is None:
            result.problem(row_number, header[month_col], f"'{row[month_col].strip()}' is not a month (use 2026-03).")
            continue
        if month > this_month:
            result.problem(row_number, header[month_col], f"{month:%B %Y} is in the future.")
            continue
        if not member.active:
            result.problem(row_number, header[member_col], f"{member.name} is inactive.")
            continue
        if month < member.start_month:
            result.problem(
                row_number,
                header[month_col],
                f"{member.name} started in {member.start_date:%B %Y}, after {month:%B %Y}.",
            )
            continue
        if (member.pk, month) in seen:
            result.problem(
                row_number,
                header[member_col],
                f"Duplicate row: {member.name}, {month:%B %Y} is already on row {seen[(member.pk, month)]}.",
            )
            continue
        seen[(member.pk, month)] = row_number
        for col, metric in metric_cols.items():
            cell = row[col].strip() if col < len(row) else ""
            if not cell:
                continue
            value = parse_decimal(cell)
            if value is None:
                result.problem(row_number, header[col], f"'{cell}' is not a number.")
                continue
            problem = value_problem(unit=metric.unit, value=value)
            if problem:
                result.problem(row_number, header[col], f"{cell} {problem}.")
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
