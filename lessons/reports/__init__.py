"""Coach reports: who is enrolled and how far they got, who is stuck, which questions people miss.

Each report is a fixed number of queries per program; `views` shows them in the Wagtail admin
(staff only) and as CSV, with cells made formula-safe.
"""

from home.core.spreadsheet import safe_cell

from .export import to_csv
from .learners import STUCK_DAYS, LearnerRow, learner_csv, learner_report
from .quiz import QuestionRow, quiz_csv, quiz_report

__all__ = [
    "STUCK_DAYS",
    "LearnerRow",
    "QuestionRow",
    "learner_csv",
    "learner_report",
    "quiz_csv",
    "quiz_report",
    "safe_cell",
    "to_csv",
]
