"""The leader's "My reflections and commitments" page: every answer and commitment on a live lesson,
grouped by lesson in program order, and the choice to share with the coach, in ONE query (a
UNION ALL of named rows, `rows.Union`; no page objects, no ORM compiling per request)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import IntegerField
from wagtail.models import Page

from ..models import Commitment, ReflectionAnswer, ReflectionSharing
from .outline import url_from_path
from .rows import _TEXT, _TIME, Kind, Union, _col, _table


class ReflectionItem(NamedTuple):
    id: int
    lesson_id: int
    created_at: datetime
    updated_at: datetime
    prompt: str
    answer: str
    lesson_title: str
    lesson_path: str
    lesson_url_path: str


class CommitmentItem(NamedTuple):
    id: int
    lesson_id: int
    created_at: datetime
    done_at: datetime | None
    action: str
    lesson_title: str
    lesson_path: str
    lesson_url_path: str


class SharingRow(NamedTuple):
    share_with_coach: int  # 1 or 0


class LessonRef(NamedTuple):
    pk: int
    title: str
    path: str


@dataclass
class LessonEntry:
    lesson: LessonRef
    url: str
    reflections: list[ReflectionItem] = field(default_factory=list)
    commitments: list[CommitmentItem] = field(default_factory=list)


@dataclass
class MyReflections:
    lessons: list[LessonEntry]
    shared: bool
    count: int  # reflection answers


_INT = IntegerField()
ROWS = Union(ref=_INT, ref2=_INT, t1=_TIME, t2=_TIME, num=_INT, s1=_TEXT, s2=_TEXT, s3=_TEXT, s4=_TEXT, s5=_TEXT)
_LESSON = {"lesson_title": "s3", "lesson_path": "s4", "lesson_url_path": "s5"}
REFLECTION = Kind(
    ROWS,
    "r",
    ReflectionItem,
    id="ref",
    lesson_id="ref2",
    created_at="t1",
    updated_at="t2",
    prompt="s1",
    answer="s2",
    **_LESSON,
)
COMMITMENT = Kind(
    ROWS, "c", CommitmentItem, id="ref", lesson_id="ref2", created_at="t1", done_at="t2", action="s1", **_LESSON
)
SHARING = Kind(ROWS, "s", SharingRow, share_with_coach="num")


@functools.cache
def _sql() -> str:
    table, col = _table, _col
    R, C, S = ReflectionAnswer, Commitment, ReflectionSharing
    page = table(Page)
    lesson = {
        "lesson_title": col(Page, "title", "pg"),
        "lesson_path": col(Page, "path", "pg"),
        "lesson_url_path": col(Page, "url_path", "pg"),
    }

    def on_live_lesson(model) -> str:
        return (
            f" FROM {table(model)} x INNER JOIN {page} pg ON {col(Page, 'id', 'pg')} = {col(model, 'lesson', 'x')}"
            f" WHERE {col(model, 'user', 'x')} = %s AND {col(Page, 'live', 'pg')}"
        )

    share = f"CASE WHEN {col(S, 'share_with_coach')} THEN 1 ELSE 0 END"
    return " UNION ALL ".join(
        [
            REFLECTION.select_from(R, alias="x", first=True, **lesson) + on_live_lesson(R),
            COMMITMENT.select_from(C, alias="x", **lesson) + on_live_lesson(C),
            SHARING.select(share_with_coach=share) + f" FROM {table(S)} WHERE {col(S, 'user')} = %s",
        ]
    )


def my_reflections(*, user) -> MyReflections:
    """ONE query: `user`'s reflection answers and commitments on live lessons, by lesson in tree
    order, each lesson's answers and commitments oldest first, and whether they share with the coach."""
    lessons: dict[int, LessonEntry] = {}
    shared, count = False, 0
    for row in ROWS.read(_sql(), [user.pk] * 3):
        if isinstance(row, SharingRow):
            shared = bool(row.share_with_coach)
            continue
        entry = lessons.get(row.lesson_id)
        if entry is None:
            lesson = LessonRef(row.lesson_id, row.lesson_title, row.lesson_path)
            entry = lessons[row.lesson_id] = LessonEntry(lesson=lesson, url=url_from_path(row.lesson_url_path))
        if isinstance(row, ReflectionItem):
            entry.reflections.append(row)
            count += 1
        else:
            entry.commitments.append(row)
    for entry in lessons.values():
        entry.reflections.sort(key=lambda item: (item.created_at, item.id))
        entry.commitments.sort(key=lambda item: (item.created_at, item.id))
    return MyReflections(lessons=sorted(lessons.values(), key=lambda e: e.lesson.path), shared=shared, count=count)
