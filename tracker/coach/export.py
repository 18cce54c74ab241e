"""The console as CSV (formula-safe: a leader's team name is theirs to choose)."""

import io

from django.utils import timezone

from home.core.spreadsheet import safe_writer

from ..rules import STEPS
from .console import ConsoleRow

STATE_WORDS = {
    "done": "done",
    "late": "done late",
    "missed": "missed",
    "pending": "not yet due",
    "before": "not started",
}


def console_csv(rows: list[ConsoleRow], *, month) -> str:
    zone = timezone.get_current_timezone_name()
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(
        ["Leader", "Email", "Team", "Trial", "Month"]
        + [f"Step {n}: {name}" for n, name in STEPS.items()]
        + ["Missed the 1st", "Score (of 5)", "Streak (months)", f"Last activity ({zone})", "Nudged"]
    )
    for row in rows:
        activity = timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M") if row.last_activity else ""
        writer.writerow(
            [
                row.leader.get_full_name(),
                row.leader.email,
                row.team.name,
                "yes" if row.trial else "no",
                f"{month:%Y-%m}",
            ]
            + [STATE_WORDS.get(s.state, s.state) for s in row.month.steps]
            + [
                "yes" if row.missed_first else "no",
                row.score,
                row.streak,
                activity,
                timezone.localtime(row.nudged_at).strftime("%Y-%m-%d") if row.nudged_at else "",
            ]
        )
    return out.getvalue()
