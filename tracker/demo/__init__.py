"""Demo content for the tracker (run by `manage.py seed_demo`): Marcus Bell's team with a year of
targets and results (team), then a year of 1:1s, improvement plans and celebrations on top of it
(coaching). Idempotent."""

from . import coaching, team


def seed(*, log) -> None:
    team.seed(log=log)
    coaching.seed(log=log)
