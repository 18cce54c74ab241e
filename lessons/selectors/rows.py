"""The leader's rows: ONE hand-written UNION ALL brings everything about one leader that a page
needs (lesson progress, the coach's unlocks, the enrollment, reflections and commitments, a route
check), instead of one query per table.

Each kind of row has its own NamedTuple. A UNION has one column per slot, and each slot has one SQL
type (PostgreSQL types a UNION from left to right, so the first SELECT names every slot's type with
a typed NULL); each kind says which slot carries each of its fields. Only quoted table and column
names from the models' `_meta` go into the SQL text, values are parameters, and the text is built
once per shape of query (no ORM compiling per request). Datetimes come back aware on every database.
A row type's field names the model field it carries (`Kind.select_from` reads its column from
`_meta`), so a renamed field fails loudly (tests/lessons/test_rows_sql.py, with a snapshot of the SQL).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import DateTimeField, Field, IntegerField, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from program.certificates.models import Certificate
from program.models import Enrollment
from program.payments.models import Payment

from ..models import Commitment, LessonProgress, ModuleUnlock, ReflectionAnswer

# --- the kinds of row ------------------------------------------------------------------------------


class ProgressRow(NamedTuple):
    lesson_id: int
    completed_at: datetime | None
    last_opened_at: datetime | None
    best_score: int | None


NO_PROGRESS = ProgressRow(0, None, None, None)


class UnlockRow(NamedTuple):
    """The coach opened this module early, for this leader or for everyone."""

    module_id: int


class EnrollmentRow(NamedTuple):
    id: int
    enrolled_at: datetime
    completed_at: datetime | None
    revoked_at: datetime | None
    status: str
    source: str
    program_id: int | None = None  # only where the query covers several programs

    def enrollment(self, *, user, **program) -> Enrollment:
        """The Enrollment, unsaved; `program=` or `program_id=` when the row has none."""
        program = program or {"program_id": self.program_id}
        return Enrollment(
            pk=self.id,
            user=user,
            enrolled_at=self.enrolled_at,
            completed_at=self.completed_at,
            revoked_at=self.revoked_at,
            status=self.status,
            source=self.source,
            **program,
        )


class ReflectionRow(NamedTuple):
    """The leader's answer to one reflection block of the lesson at hand."""

    id: int
    updated_at: datetime
    block_id: str
    answer: str


class CommitmentRow(NamedTuple):
    """The leader's commitment on one apply-it block of the lesson at hand."""

    id: int
    created_at: datetime
    done_at: datetime | None
    block_id: str
    action: str


class RouteCheckRow(NamedTuple):
    """Is the page kept by this process still live at the address it was routed by?"""

    page_id: int
    live: int  # 1 or 0
    url_path: str


class RecentReflectionRow(NamedTuple):
    """A reflection answer on any live lesson, for the dashboard."""

    id: int
    updated_at: datetime
    answer: str
    prompt: str | None
    lesson_title: str
    lesson_url_path: str


class OpenCommitmentRow(NamedTuple):
    """A commitment not yet done on any live lesson, for the dashboard."""

    id: int
    created_at: datetime
    action: str
    lesson_title: str
    lesson_url_path: str


class CertificateRow(NamedTuple):
    """A valid certificate of the leader, as the dashboard's certificates panel shows it."""

    id: int
    code: str
    program_title: str
    issued_at: datetime
    completed_on_text: str  # the date as ISO text (a UNION slot of its own type is not worth it)

    @property
    def completed_on(self) -> date:
        return date.fromisoformat(self.completed_on_text)


class OnFileRow(NamedTuple):
    """How many valid certificates and settled payments the leader has: the dashboard asks the
    certificates and billing panels' own queries only when there are some."""

    certificates: int
    payments: int


# --- slots and kinds -------------------------------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name: str, alias: str = "") -> str:
    column = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{column}" if alias else column


def model_field(model, name: str, *, row: type | None = None) -> Field:
    """The concrete field of `model` whose name or attname is `name` (a row type's field)."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise TypeError(f"{row.__name__ if row else 'row'}.{name}: {model.__name__} has no such field (renamed?)")


def _null(field: Field) -> str:
    return f"CAST(NULL AS {field.db_type(connection)})"


def _aware(value):
    """A raw query on SQLite gives naive datetimes (or text); PostgreSQL gives aware ones."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if value is not None and timezone.is_naive(value) else value


class Union:
    """The columns of one UNION ALL after the kind tag (slot name -> SQL type) and its kinds of row."""

    def __init__(self, **slots: Field):
        self.slots = slots
        self.kinds: dict[str, Kind] = {}

    def read(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [self.kinds[tag].read(values) for tag, *values in rows]


class Kind:
    """One kind of row in a `Union`: its tag, its NamedTuple, and the slot of each field it fills."""

    def __init__(self, union: Union, tag: str, row: type[NamedTuple], **slots: str):
        unknown = set(slots) - set(row._fields)
        unfilled = set(row._fields) - set(slots) - set(row._field_defaults)
        if unknown or unfilled:
            raise TypeError(f"{row.__name__}: no field {sorted(unknown)}, no slot for {sorted(unfilled)}")
        self.tag, self.row, self.slots = tag, row, slots
        positions = list(union.slots)
        times = {name for name, field in union.slots.items() if isinstance(field, DateTimeField)}
        self._read = [(name, positions.index(slot), slot in times) for name, slot in slots.items()]
        self._union = union
        union.kinds[tag] = self

    def select(self, *, first: bool = False, **columns: str) -> str:
        """`SELECT '<tag>', <one expression per slot>` from the SQL of each field (by field name)."""
        if set(columns) != set(self.slots):
            raise TypeError(f"{self.row.__name__}: SQL for {sorted(columns)}, slots for {sorted(self.slots)}")
        by_slot = {self.slots[name]: sql for name, sql in columns.items()}
        values = [by_slot.get(slot) or (_null(field) if first else "NULL") for slot, field in self._union.slots.items()]
        return f"SELECT '{self.tag}', {', '.join(values)}"

    def select_from(self, model, *, alias: str = "", first: bool = False, **expressions: str) -> str:
        """`select()` with each field's SQL read from `model`'s `_meta`: a row field names the model
        field (or its attname, `lesson_id`) it carries; `expressions` give the SQL of the others.
        A field renamed in the model and not here (or the reverse) raises, naming both."""
        columns = dict(expressions)
        for name in self.slots:
            if name not in columns:
                columns[name] = _col(model, model_field(model, name, row=self.row).name, alias)
        return self.select(first=first, **columns)

    def read(self, values: list):
        return self.row(**{name: _aware(values[i]) if is_time else values[i] for name, i, is_time in self._read})


_INT, _TIME, _TEXT = IntegerField(), DateTimeField(), TextField()

# The rows of one leader on a program, module or lesson page.
LEADER = Union(ref=_INT, t1=_TIME, t2=_TIME, t3=_TIME, num=_INT, s1=_TEXT, s2=_TEXT)
PROGRESS = Kind(LEADER, "p", ProgressRow, lesson_id="ref", completed_at="t1", last_opened_at="t2", best_score="num")
UNLOCK = Kind(LEADER, "u", UnlockRow, module_id="ref")
ENROLLMENT = Kind(
    LEADER, "e", EnrollmentRow, id="ref", enrolled_at="t1", completed_at="t2", revoked_at="t3", status="s1", source="s2"
)
REFLECTION = Kind(LEADER, "r", ReflectionRow, id="ref", updated_at="t1", block_id="s1", answer="s2")
COMMITMENT = Kind(LEADER, "c", CommitmentRow, id="ref", created_at="t1", done_at="t2", block_id="s1", action="s2")
ROUTE_CHECK = Kind(LEADER, "v", RouteCheckRow, page_id="ref", live="num", url_path="s1")

# The rows of one leader across all their programs, for the dashboard.
DASHBOARD = Union(ref=_INT, ref2=_INT, t1=_TIME, t2=_TIME, t3=_TIME, num=_INT, s1=_TEXT, s2=_TEXT, s3=_TEXT, s4=_TEXT)
DASHBOARD_PROGRESS = Kind(
    DASHBOARD, "p", ProgressRow, lesson_id="ref", completed_at="t1", last_opened_at="t2", best_score="num"
)
DASHBOARD_UNLOCK = Kind(DASHBOARD, "u", UnlockRow, module_id="ref")
ACTIVE_ENROLLMENT = Kind(
    DASHBOARD,
    "e",
    EnrollmentRow,
    id="ref",
    program_id="ref2",
    enrolled_at="t1",
    completed_at="t2",
    revoked_at="t3",
    status="s1",
    source="s2",
)
RECENT_REFLECTION = Kind(
    DASHBOARD,
    "r",
    RecentReflectionRow,
    id="ref",
    updated_at="t1",
    answer="s1",
    prompt="s2",
    lesson_title="s3",
    lesson_url_path="s4",
)
OPEN_COMMITMENT = Kind(
    DASHBOARD, "c", OpenCommitmentRow, id="ref", created_at="t1", action="s1", lesson_title="s3", lesson_url_path="s4"
)

ON_FILE = Kind(DASHBOARD, "f", OnFileRow, certificates="ref", payments="ref2")
VALID_CERTIFICATE = Kind(
    DASHBOARD, "k", CertificateRow, id="ref", code="s1", program_title="s2", issued_at="t1", completed_on_text="s3"
)


# --- the queries -----------------------------------------------------------------------------------


def leader_rows(
    *, user, program=None, responses_for=None, route_check_id: int | None = None
) -> list[ProgressRow | UnlockRow | EnrollmentRow | ReflectionRow | CommitmentRow | RouteCheckRow]:
    """One query: all of `user`'s lesson progress and the coach's unlocks for the user or for
    everyone; with `program` the user's enrollment in it; with `responses_for` (a lesson) the user's
    reflection answers and commitments on it; with `route_check_id` (a page id) that page's live
    flag and url_path."""
    sql = _leader_sql(
        with_enrollment=program is not None,
        with_responses=responses_for is not None,
        with_route_check=route_check_id is not None,
    )
    params: list = [user.pk, user.pk]
    if program is not None:
        params += [user.pk, program.pk]
    if responses_for is not None:
        params += [user.pk, responses_for.pk, user.pk, responses_for.pk]
    if route_check_id is not None:
        params.append(route_check_id)
    return LEADER.read(sql, params)


def dashboard_rows(
    *, user
) -> list[
    ProgressRow | UnlockRow | EnrollmentRow | RecentReflectionRow | OpenCommitmentRow | OnFileRow | CertificateRow
]:
    """One query: `user`'s active enrollments, lesson progress, unlocks, reflections and open
    commitments (with their lesson's title and url_path; only on live lessons), one row with
    how many valid certificates and settled (not pending) payments they have, and their valid
    certificates (for the certificates panel, which then needs no query of its own)."""
    return DASHBOARD.read(_dashboard_sql(), [user.pk] * 8)


@functools.cache
def _leader_sql(*, with_enrollment: bool, with_responses: bool, with_route_check: bool) -> str:
    table, col = _table, _col
    P, U, E, R, C = LessonProgress, ModuleUnlock, Enrollment, ReflectionAnswer, Commitment
    parts = [
        PROGRESS.select_from(P, first=True) + f" FROM {table(P)} WHERE {col(P, 'user')} = %s",
        UNLOCK.select_from(U) + f" FROM {table(U)} WHERE {col(U, 'user')} = %s OR {col(U, 'user')} IS NULL",
    ]
    if with_enrollment:
        parts.append(
            ENROLLMENT.select_from(E) + f" FROM {table(E)} WHERE {col(E, 'user')} = %s AND {col(E, 'program')} = %s"
        )
    if with_responses:
        parts.append(
            REFLECTION.select_from(R) + f" FROM {table(R)} WHERE {col(R, 'user')} = %s AND {col(R, 'lesson')} = %s"
        )
        parts.append(
            COMMITMENT.select_from(C) + f" FROM {table(C)} WHERE {col(C, 'user')} = %s AND {col(C, 'lesson')} = %s"
        )
    if with_route_check:
        parts.append(
            ROUTE_CHECK.select_from(
                Page, page_id=col(Page, "id"), live=f"CASE WHEN {col(Page, 'live')} THEN 1 ELSE 0 END"
            )
            + f" FROM {table(Page)} WHERE {col(Page, 'id')} = %s"
        )
    return " UNION ALL ".join(parts)


def _count(model, status: str) -> str:
    """`(SELECT COUNT(*) ...)` of the user's rows of `model` whose status is `status` (a constant)."""
    where = f"{_col(model, 'user')} = %s AND {_col(model, 'status')} {status}"
    return f"(SELECT COUNT(*) FROM {_table(model)} WHERE {where})"  # noqa: S608 (names from _meta, values are parameters)


@functools.cache
def _dashboard_sql() -> str:
    table, col = _table, _col
    P, U, E, R, C, K = LessonProgress, ModuleUnlock, Enrollment, ReflectionAnswer, Commitment, Certificate
    text = _TEXT.db_type(connection)
    page, lesson_live = table(Page), col(Page, "live", "pg")
    title, url_path = col(Page, "title", "pg"), col(Page, "url_path", "pg")
    page_id = col(Page, "id", "pg")
    return " UNION ALL ".join(
        [
            DASHBOARD_PROGRESS.select_from(P, first=True) + f" FROM {table(P)} WHERE {col(P, 'user')} = %s",
            DASHBOARD_UNLOCK.select_from(U)
            + f" FROM {table(U)} WHERE {col(U, 'user')} = %s OR {col(U, 'user')} IS NULL",
            ACTIVE_ENROLLMENT.select_from(E)
            + f" FROM {table(E)} WHERE {col(E, 'user')} = %s AND {col(E, 'status')} = '{Enrollment.Status.ACTIVE}'",
            RECENT_REFLECTION.select_from(R, alias="x", lesson_title=title, lesson_url_path=url_path)
            + f" FROM {table(R)} x INNER JOIN {page} pg ON {page_id} = {col(R, 'lesson', 'x')}"
            + f" WHERE {col(R, 'user', 'x')} = %s AND {lesson_live}",
            OPEN_COMMITMENT.select_from(C, alias="x", lesson_title=title, lesson_url_path=url_path)
            + f" FROM {table(C)} x INNER JOIN {page} pg ON {page_id} = {col(C, 'lesson', 'x')}"
            + f" WHERE {col(C, 'user', 'x')} = %s AND {col(C, 'done_at', 'x')} IS NULL AND {lesson_live}",
            ON_FILE.select(
                certificates=_count(Certificate, f"= '{Certificate.Status.VALID}'"),
                payments=_count(Payment, f"<> '{Payment.Status.PENDING}'"),
            ),
            VALID_CERTIFICATE.select_from(K, completed_on_text=f"CAST({col(K, 'completed_on')} AS {text})")
            + f" FROM {table(K)} WHERE {col(K, 'user')} = %s AND {col(K, 'status')} = '{Certificate.Status.VALID}'",
        ]
    )
