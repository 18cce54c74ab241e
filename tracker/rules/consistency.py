"""The leader's consistency, as rules: did they do all five steps for each month, on time?

For a month M (its "cycle"):
1. targets for M communicated by M's first working day;
2. M's results presented in the meeting within `publish_within_days` after M ends;
3. a 1:1 about M held with every member active in M, within `review_within_days` after M ends;
4. every sub-par flag for M acted on (a 1:1 that discussed the gap, or an improvement plan) within
   `act_within_days` of the flag becoming known (the day after M ends);
5. at least one celebration recorded for M, within `review_within_days` after M ends.

A step is done (on time), late, missed, or pending (its deadline has not passed yet). The month's
score is the number of steps done on time, out of five. Pure: the reads are in
tracker.selectors.consistency.
"""

import datetime
from dataclasses import dataclass, field

STEPS = {
    1: "Communicate targets",
    2: "Publish results",
    3: "1:1 with everyone",
    4: "Act on sub-par",
    5: "Celebrate",
}
DONE, LATE, MISSED, PENDING, BEFORE = "done", "late", "missed", "pending", "before"


@dataclass
class StepStatus:
    step: int
    state: str
    due_on: datetime.date
    detail: str = ""

    @property
    def name(self) -> str:
        return STEPS[self.step]


@dataclass
class MonthConsistency:
    month: datetime.date
    steps: list[StepStatus]

    @property
    def score(self) -> int:
        return sum(1 for s in self.steps if s.state == DONE)

    @property
    def in_progress(self) -> bool:
        return any(s.state == PENDING for s in self.steps)

    @property
    def before_start(self) -> bool:
        return all(s.state == BEFORE for s in self.steps)

    @property
    def skipped(self) -> list[StepStatus]:
        return [s for s in self.steps if s.state in (MISSED, LATE)]


@dataclass
class ConsistencyReport:
    team: object
    months: list[MonthConsistency]  # oldest first
    lesson_urls: dict[int, str] = field(default_factory=dict)

    @property
    def by_month(self) -> dict:
        return {m.month: m for m in self.months}

    @property
    def latest_complete(self) -> MonthConsistency | None:
        return next((m for m in reversed(self.months) if not m.in_progress and not m.before_start), None)

    @property
    def current(self) -> MonthConsistency | None:
        """The newest month shown (usually this month, still in progress)."""
        return self.months[-1] if self.months else None

    @property
    def score(self) -> int | None:
        latest = self.latest_complete
        return latest.score if latest else None

    @property
    def streak(self) -> int:
        """Months in a row with all five steps done on time, counting back from the latest
        finished month (months still in progress neither count nor break it)."""
        streak = 0
        for month in reversed(self.months):
            if month.in_progress and not month.skipped:
                continue
            if month.before_start:
                break
            if month.score == len(STEPS):
                streak += 1
            else:
                break
        return streak

    @property
    def prompt(self) -> dict | None:
        """A gentle next step: the most recent step skipped (missed or late) with the lesson that
        teaches it; otherwise the next step due."""
        for month in reversed(self.months):
            if month.skipped:
                step = month.skipped[0]
                return {
                    "kind": "skipped",
                    "month": month.month,
                    "step": step,
                    "text": f"In {month.month:%B} step {step.step}, {step.name.lower()}, was {step.state}. "
                    f"{step.detail} A refresher helps it stick.",
                    "lesson_url": self.lesson_urls.get(step.step, ""),
                }
        pending = [(s.due_on, m.month, s) for m in self.months for s in m.steps if s.state == PENDING]
        if pending:
            due_on, month, step = min(pending, key=lambda t: (t[0], t[2].step))
            return {
                "kind": "next",
                "month": month,
                "step": step,
                "text": f"Next: step {step.step}, {step.name.lower()} for {month:%B}, by {due_on:%A %-d %B}.",
                "lesson_url": self.lesson_urls.get(step.step, ""),
            }
        return None


def step_state(done_on: datetime.date | None, due_on: datetime.date, today: datetime.date) -> str:
    if done_on is not None:
        return DONE if done_on <= due_on else LATE
    return MISSED if today > due_on else PENDING
