"""The method's rules as pure functions and data shapes: months, attainment, scores and ranks,
sub-par flags, the consistency steps and the results CSV. No database access in this package.

Definitions used everywhere:
- Rank: standard competition ranking ("1224") on the attainment as displayed (a whole percent), so
  two members shown with the same percentage share the rank (`competition_ranks`).
- Personal best: a member's result on a metric better than every earlier month's result on that
  metric (lower for a lower-is-better metric), once there are at least three earlier months with a
  result (`is_personal_best`). The celebrations, the meeting view and its PDF all use it.
- Numbers: read and shown in the team's number format and currency (`numbers`).
"""

from .attainment import (
    ATTAINMENT_CAP,
    as_percent,
    attainment,
    competition_ranks,
    parse_decimal,
    value_problem,
    weighted_overall,
)
from .consistency import (
    BEFORE,
    DONE,
    LATE,
    MISSED,
    PENDING,
    STEPS,
    ConsistencyReport,
    MonthConsistency,
    StepStatus,
    step_state,
)
from .months import (
    add_months,
    first_working_day,
    month_end,
    month_range,
    month_start,
    parse_month,
)
from .results_csv import (
    MAX_BYTES,
    MAX_ROWS,
    MEMBER_COLUMNS,
    MONTH_COLUMNS,
    ParsedImport,
    parse_results_csv,
)
from .scores import (
    NO_VALUES,
    PERSONAL_BEST_HISTORY,
    Board,
    MetricCell,
    RankingRow,
    is_personal_best,
    members_in_month,
    pair_overall,
    scores_for_month,
)
from .subpar import (
    SubParFlag,
    subpar_flags,
)

__all__ = [
    "ATTAINMENT_CAP",
    "BEFORE",
    "Board",
    "ConsistencyReport",
    "DONE",
    "LATE",
    "MAX_BYTES",
    "MAX_ROWS",
    "MEMBER_COLUMNS",
    "MISSED",
    "MONTH_COLUMNS",
    "MetricCell",
    "MonthConsistency",
    "NO_VALUES",
    "PERSONAL_BEST_HISTORY",
    "is_personal_best",
    "PENDING",
    "ParsedImport",
    "RankingRow",
    "STEPS",
    "StepStatus",
    "SubParFlag",
    "add_months",
    "as_percent",
    "attainment",
    "competition_ranks",
    "first_working_day",
    "members_in_month",
    "month_end",
    "month_range",
    "month_start",
    "pair_overall",
    "parse_decimal",
    "parse_month",
    "parse_results_csv",
    "scores_for_month",
    "step_state",
    "subpar_flags",
    "value_problem",
    "weighted_overall",
]
