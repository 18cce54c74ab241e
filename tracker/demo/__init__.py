"""Demo content for the tracker (run by `manage.py seed_demo`): Marcus Bell's team with a year of
targets and results (team), then a year of 1:1s, improvement plans and celebrations on top of it
(coaching); and a seat holder's team whose monthly rhythm she shares with her company
(seat_holder). Idempotent."""

from . import coaching, seat_holder, team


def seed(*, log) -> None:
    team.seed(log=log)
    coaching.seed(log=log)
    seat_holder.seed(log=log)
