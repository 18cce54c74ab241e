"""Read a meeting's participant export (Zoom or Google Meet) into attendance rows. No database.

Recognised by their header row (matched case-insensitively, wherever it is in the file, since
Zoom puts a meeting summary above the participants):

- Zoom meeting participants report: "Name (original name)", "Email" or "User Email",
  "Join time", "Leave time", "Duration (minutes)" (plus "Guest", "In waiting room", ...).
- Zoom webinar attendee report: "User Name (Original Name)", "Email", "Join Time",
  "Leave Time", "Time in Session (minutes)".
- Google Meet attendance report: "First name", "Last name", "Email", "Duration",
  "Time joined", "Time exited"; the duration reads "1 hr 5 min", "45 min", "30 sec" or "1:05:00".

Someone who rejoined appears on several rows: their minutes are added up. A file is read whole
or not at all: any bad cell refuses it, each problem named by row and column.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_BYTES = 2_000_000
MAX_ERRORS_SHOWN = 20
EMAIL_COLUMNS = ("email", "user email", "attendee email", "participant email")
DURATION_COLUMNS = ("duration (minutes)", "time in session (minutes)", "duration (mins)", "duration")
NAME_COLUMNS = ("name (original name)", "user name (original name)", "name", "participant name")
MEET_DURATION = re.compile(
    r"^\s*(?:(\d+)\s*(?:hr|hrs|hour|hours|h))?\s*(?:(\d+)\s*(?:min|mins|minutes|m))?\s*(?:(\d+)\s*(?:sec|secs|seconds|s))?\s*$",
    re.I,
)  # noqa: E501
CLOCK_DURATION = re.compile(r"^\s*(\d+):([0-5]\d)(?::([0-5]\d))?\s*$")


@dataclass(frozen=True)
class AttendanceRow:
    email: str
    name: str
    minutes: int


@dataclass(frozen=True)
class AttendanceFile:
    source: str  # "Zoom" or "Google Meet"
    rows: list[AttendanceRow]  # one per email, minutes summed
    without_email: int  # participants the export has no email for (guests, dial-in)


def _minutes(raw: str, source: str) -> int | None:
    text = (raw or "").strip()
    if text.isdigit():
        return int(text)
    match = CLOCK_DURATION.match(text)
    if match:
        hours_or_minutes, minutes, seconds = match.groups()
        if seconds is None:  # "M:SS"
            return int(hours_or_minutes) + (1 if int(minutes) >= 30 else 0)
        return int(hours_or_minutes) * 60 + int(minutes) + (1 if int(seconds) >= 30 else 0)
    if source == "Google Meet" and text:
        match = MEET_DURATION.match(text.replace("<", ""))
        if match and any(match.groups()):
            hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
            return hours * 60 + minutes + (1 if seconds >= 30 else 0)
    return None


def _find_header(lines: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for number, cells in enumerate(lines):
        lowered = {c.strip().lower().lstrip("\ufeff"): i for i, c in enumerate(cells) if c.strip()}
        if "meeting id" in lowered or "topic" in lowered:
            continue  # Zoom's meeting summary above the participants: the host's email, the meeting's length
        if any(col in lowered for col in EMAIL_COLUMNS) and any(col in lowered for col in DURATION_COLUMNS):
            return number, lowered
    return None


def _pick(columns: dict[str, int], names: tuple[str, ...]) -> tuple[str, int] | None:
    for name in names:
        if name in columns:
            return name, columns[name]
    return None


def attendance_csv_read(data: bytes) -> AttendanceFile:
    """Parse an export. Raises ValidationError with every problem ("Row 7, column Email: ...")."""
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is larger than 2 MB; that is not a participant export.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-16")  # Zoom on Windows sometimes saves UTF-16
        except UnicodeDecodeError:
            raise ValidationError("The file is not text in UTF-8. Export it again as CSV.") from None
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ValidationError(f"The file is not a readable CSV ({exc}).") from None
    found = _find_header(lines)
    if found is None:
        raise ValidationError(
            "No participant columns found. Upload Zoom's participants report or Google Meet's attendance "
            "report as CSV: it needs an Email column and a Duration column."
        )
    header_at, columns = found
    source = "Google Meet" if "first name" in columns and "time joined" in columns else "Zoom"
    email_col = _pick(columns, EMAIL_COLUMNS)
    duration_col = _pick(columns, DURATION_COLUMNS)
    name_col = _pick(columns, NAME_COLUMNS)
    first_col, last_col = columns.get("first name"), columns.get("last name")
    label = {index: name for name, index in columns.items()}

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    errors: list[str] = []
    totals: dict[str, AttendanceRow] = {}
    without_email = 0
    for offset, cells in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in cells):
            continue
        email = cell(cells, email_col[1]).lower()
        raw_minutes = cell(cells, duration_col[1])
        minutes = _minutes(raw_minutes, source)
        if minutes is None:
            errors.append(f"Row {offset}, column {label[duration_col[1]]!r}: {raw_minutes!r} is not a duration.")
        if not email:
            without_email += 1
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"Row {offset}, column {label[email_col[1]]!r}: {email!r} is not an email address.")
            continue
        if minutes is None:
            continue
        name = (
            cell(cells, name_col[1])
            if name_col
            else " ".join(filter(None, [cell(cells, first_col), cell(cells, last_col)]))
        )
        name = re.sub(r"\s*\(.*\)$", "", name)  # Zoom's "(original name)"
        before = totals.get(email)
        totals[email] = AttendanceRow(
            email=email, name=before.name if before else name, minutes=minutes + (before.minutes if before else 0)
        )  # noqa: E501
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"... and {len(errors) - MAX_ERRORS_SHOWN} more problems.")
        raise ValidationError(["Nothing was imported."] + shown)
    if not totals:
        raise ValidationError("The file has no participants with an email address; nothing to import.")
    return AttendanceFile(
        source=source, rows=sorted(totals.values(), key=lambda r: r.email), without_email=without_email
    )
