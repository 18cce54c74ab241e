"""The hand-written UNION (lessons/selectors/rows.py): its SQL is pinned, and a renamed field fails."""

import itertools
import json
from pathlib import Path
from typing import NamedTuple

import pytest
from django.db import connection

from lessons.models import LessonProgress
from lessons.selectors import rows

SNAPSHOTS = Path(__file__).parent / "snapshots"


def every_shape() -> dict[str, str]:
    """Every SQL text the module can build, built afresh (not from the per-process cache)."""
    shapes = {}
    for a, b, c in itertools.product([False, True], repeat=3):
        key = f"leader enrollment={a} responses={b} route_check={c}"
        shapes[key] = rows._leader_sql.__wrapped__(with_enrollment=a, with_responses=b, with_route_check=c)
    shapes["dashboard"] = rows._dashboard_sql.__wrapped__()
    return shapes


def test_the_sql_is_byte_identical_to_the_snapshot():
    snapshot = SNAPSHOTS / f"union_sql_{connection.vendor}.json"
    if not snapshot.exists():
        pytest.skip(f"no snapshot for {connection.vendor}")
    assert every_shape() == json.loads(snapshot.read_text())


@pytest.mark.parametrize("attribute", ["name", "attname", "column"])
def test_renaming_a_model_field_fails_loudly(monkeypatch, attribute):
    field = LessonProgress._meta.get_field("best_score")
    for name in ("name", "attname") if attribute != "column" else ("column",):
        monkeypatch.setattr(field, name, "top_score")
    if attribute == "column":  # a new db_column: the SQL changes, and the snapshot says so
        assert every_shape() != json.loads((SNAPSHOTS / f"union_sql_{connection.vendor}.json").read_text())
        return
    with pytest.raises(TypeError, match=r"ProgressRow\.best_score: LessonProgress has no such field"):
        every_shape()


def test_a_row_field_without_a_model_field_fails_loudly():
    class Renamed(NamedTuple):
        lesson_id: int
        top_score: int | None

    union = rows.Union(ref=rows._INT, num=rows._INT)
    kind = rows.Kind(union, "p", Renamed, lesson_id="ref", top_score="num")
    with pytest.raises(TypeError, match=r"Renamed\.top_score: LessonProgress has no such field"):
        kind.select_from(LessonProgress)


def test_each_row_type_names_the_fields_of_its_model():
    """Every field a row type takes from its model exists there with a column (the check the SQL
    builder makes, listed here so a reader sees which row reads which model)."""
    from lessons.models import Commitment, ModuleUnlock, ReflectionAnswer
    from program.models import Enrollment

    expected = {
        rows.ProgressRow: LessonProgress,
        rows.UnlockRow: ModuleUnlock,
        rows.EnrollmentRow: Enrollment,
        rows.ReflectionRow: ReflectionAnswer,
        rows.CommitmentRow: Commitment,
    }
    for row, model in expected.items():
        for name in row._fields:
            assert rows.model_field(model, name, row=row).column
