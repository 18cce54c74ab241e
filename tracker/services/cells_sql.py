"""Applying and undoing an import on PostgreSQL, set-based: PostgreSQL compares, writes and records.

`cells_write` (tracker.services.cells) is the writer for grids, restores and SQLite; it needs every
stored value in Python to compare. An import of 60,000 values does not: its cells are streamed once
with COPY into a temporary table, and one statement of data-modifying CTEs joins them with the
stored results, inserts the new cells, updates the changed ones and writes one history row per
changed cell (who, when, old, new, how="import"). Each cell is looked up through the unique
(member, metric, month) index (a LATERAL join), so the cost follows the import's size, not the
size of the results table. Undo is one statement too: it joins the import's
history with the stored results, so only cells still holding the imported value go back. Both run
inside the caller's transaction, after the caller has locked the team's row (one writer at a time),
so what the join reads as "old" is what is replaced.

Every value travels as a query parameter or through COPY; the SQL holds only table names taken from
the models and a uuid, hence the S608 notes.
"""

import uuid
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ..data_version import bump_data_version
from ..models import Result, ValueChange

RESULTS = Result._meta.db_table
HISTORY = ValueChange._meta.db_table
HISTORY_INSERT = (
    f"INSERT INTO {HISTORY} (team_id, member_id, metric_id, month, kind, old_value, new_value, how, "
    "changed_by_id, changed_at, source_import_id)"
)


def import_write(*, team_id: int, import_id: int, rows: list[dict], changed_by_id: int | None) -> dict[str, int]:
    """Write an import's rows ({member, metric, month, value} with the month and value as text, as
    the preview stores them). Values equal to the stored ones are left alone and not recorded.
    Returns {"created", "changed", "removed"}."""
    temp = f"tracker_import_{uuid.uuid4().hex}"
    params = {"team": team_id, "import": import_id, "by": changed_by_id, "now": timezone.now()}
    diff = (
        f"SELECT t.member_id, t.metric_id, t.month, t.value AS new_value, r.id AS result_id, r.value AS old_value "  # noqa: S608
        f"FROM {temp} t LEFT JOIN LATERAL (SELECT id, value FROM {RESULTS} "
        "WHERE member_id = t.member_id AND metric_id = t.metric_id AND month = t.month) r ON true "
        "WHERE r.value IS DISTINCT FROM t.value"
    )
    statement = (
        f"WITH diff AS MATERIALIZED ({diff}), "  # noqa: S608
        f"added AS (INSERT INTO {RESULTS} (member_id, metric_id, month, value, source_import_id) "
        "SELECT member_id, metric_id, month, new_value, %(import)s FROM diff WHERE result_id IS NULL), "
        f"changed AS (UPDATE {RESULTS} r SET value = d.new_value, source_import_id = %(import)s "
        "FROM diff d WHERE r.id = d.result_id), "
        f"history AS ({HISTORY_INSERT} SELECT %(team)s, member_id, metric_id, month, 'result', old_value, new_value, "
        "'import', %(by)s, %(now)s, %(import)s FROM diff) "
        "SELECT count(*) FILTER (WHERE result_id IS NULL), count(*) FILTER (WHERE result_id IS NOT NULL) FROM diff"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} (member_id bigint, metric_id bigint, month date, value numeric(14, 2)) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {temp} (member_id, metric_id, month, value) FROM STDIN") as copy:
            # The preview's rows hold ids, ISO dates and plain decimals: their text is COPY's text.
            copy.write("".join(f"{r['member']}\t{r['metric']}\t{r['month']}\t{r['value']}\n" for r in rows))
        cursor.execute(statement, params)
        created, changed = cursor.fetchone()
        cursor.execute(f"DROP TABLE {temp}")
    if created or changed:
        bump_data_version(team_id=team_id)  # bulk writes send no signals: cached summaries must not outlive them
    return {"created": created, "changed": changed, "removed": 0}


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


IMPORTED = (
    "SELECT c.member_id, c.metric_id, c.month, c.old_value, c.new_value, r.id AS result_id, r.value AS now "  # noqa: S608
    f"FROM {HISTORY} c LEFT JOIN {RESULTS} r "
    "ON r.member_id = c.member_id AND r.metric_id = c.metric_id AND r.month = c.month "
    "WHERE c.source_import_id = %(import)s AND c.how = 'import' AND c.kind = 'result'"
)
# One row of counts (put back, removed), then one row per cell changed since the import (kept).
PLAN = (
    "SELECT 'counts', count(*) FILTER (WHERE now = new_value AND old_value IS NOT NULL), "
    "count(*) FILTER (WHERE now = new_value AND old_value IS NULL), NULL::date, NULL::numeric, NULL::numeric "
    "FROM imported UNION ALL "
    "SELECT 'kept', member_id, metric_id, month, new_value, now FROM imported WHERE now IS DISTINCT FROM new_value"
)


def _plan(answer) -> tuple[int, int, list[dict]]:
    """(values put back, values removed, cells kept as UndoPlan.kept lists them)."""
    restored = removed = 0
    kept = []
    for tag, a, b, month, imported, now in answer:
        if tag == "counts":
            restored, removed = a, b
            continue
        kept.append(
            {
                "member": a,
                "metric": b,
                "month": month.isoformat(),
                "imported": _text(imported),
                "now": None if now is None else _text(now),
            }
        )
    kept.sort(key=lambda k: (k["month"], k["member"], k["metric"]))
    return restored, removed, kept


def undo_counts(*, import_id: int) -> tuple[int, int, list[dict]]:
    """What undo would do now: (values put back, values removed, cells kept). One query."""
    with connection.cursor() as cursor:
        cursor.execute(f"WITH imported AS MATERIALIZED ({IMPORTED}) {PLAN}", {"import": import_id})
        return _plan(cursor.fetchall())


def undo_write(*, team_id: int, import_id: int, changed_by_id: int | None) -> tuple[int, int, list[dict]]:
    """Put back every cell still holding the value the import wrote (remove it if the import added
    it) and record each as how="undo"; cells changed since stay. (put back, removed, kept)."""
    params = {"team": team_id, "import": import_id, "by": changed_by_id, "now": timezone.now()}
    statement = (
        f"WITH imported AS MATERIALIZED ({IMPORTED}), "  # noqa: S608
        "restore AS MATERIALIZED (SELECT * FROM imported WHERE now = new_value), "
        f"removed AS (DELETE FROM {RESULTS} r USING restore s WHERE r.id = s.result_id AND s.old_value IS NULL), "
        f"put_back AS (UPDATE {RESULTS} r SET value = s.old_value, source_import_id = NULL "
        "FROM restore s WHERE r.id = s.result_id AND s.old_value IS NOT NULL), "
        f"history AS ({HISTORY_INSERT} SELECT %(team)s, member_id, metric_id, month, 'result', new_value, old_value, "
        f"'undo', %(by)s, %(now)s, %(import)s FROM restore) {PLAN}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        restored, removed, kept = _plan(cursor.fetchall())
    if restored or removed:
        bump_data_version(team_id=team_id)
    return restored, removed, kept
