"""What a lesson, module or program page shows one visitor: the outline with their progress, their
enrollment, and on a lesson their access, previous and next, and their own answers, in ONE query
for the leader's rows (see `rows`) whatever the size of the program.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from wagtail.models import Page

from home.core.caching.routing import StaleRoute
from home.core.caching.urls import page_get_url
from program.models import Enrollment, ProgramPage

from ..body_cache import block_types
from ..models import LessonPage, ModulePage
from .outline import (
    LessonItem,
    ModuleItem,
    ProgramState,
    modules_with_progress,
    program_for_lesson,
    program_states,
    program_structures,
)
from .rows import CommitmentRow, EnrollmentRow, ProgressRow, ReflectionRow, RouteCheckRow, UnlockRow, leader_rows


@dataclass
class Response:
    """A reflection answer or a commitment, as the lesson page shows it."""

    pk: int
    block_id: str
    text: str
    at: datetime
    done_at: datetime | None

    # names the templates use
    @property
    def answer(self) -> str:
        return self.text

    @property
    def updated_at(self) -> datetime:
        return self.at

    @property
    def created_at(self) -> datetime:
        return self.at


@dataclass
class Responses:
    """One leader's reflection answers and commitments on one lesson, keyed by block id."""

    lesson: LessonPage
    wanted: bool  # False when the lesson has no reflection or apply-it block: nothing to fetch
    reflections: dict[str, Response] = field(default_factory=dict)
    commitments: dict[str, Response] = field(default_factory=dict)

    @classmethod
    def for_lesson(cls, lesson: LessonPage) -> Responses:
        # From the stored JSON: no block conversion, no document query.
        return cls(lesson=lesson, wanted=bool(block_types(lesson) & {"reflection", "apply_it"}))


def _outline(
    *,
    program: ProgramPage,
    user,
    responses: Responses | None = None,
    route_check: tuple[int, str] | None = None,
) -> tuple[dict[int, list[ModuleItem]], Enrollment | None]:
    """The live modules and lessons of `program` with `user`'s progress and unlocks: the structure
    from the shared cache (one query when it is cold) and ONE query for the user's own rows, which
    brings the user's enrollment in the program too. With `responses`, the user's reflections and
    commitments on `responses.lesson` are filled in; with `route_check` (page id, url_path) the same
    query checks that the page is still live at that address and raises `StaleRoute` if not (see
    home.core.caching.routing)."""
    structures = program_structures([program])
    progress: dict[int, ProgressRow] = {}
    unlocked: set[int] = set()
    found_enrollment: Enrollment | None = None
    if user.is_authenticated:
        responses_for = responses.lesson if responses is not None and responses.wanted else None
        rows = leader_rows(
            user=user,
            program=program,
            responses_for=responses_for,
            route_check_id=route_check[0] if route_check else None,
        )
        checked = route_check is None
        for row in rows:
            match row:
                case ProgressRow():
                    progress[row.lesson_id] = row
                case UnlockRow():
                    unlocked.add(row.module_id)
                case ReflectionRow():
                    responses.reflections[row.block_id] = Response(
                        pk=row.id, block_id=row.block_id, text=row.answer, at=row.updated_at, done_at=None
                    )
                case CommitmentRow():
                    responses.commitments[row.block_id] = Response(
                        pk=row.id, block_id=row.block_id, text=row.action, at=row.created_at, done_at=row.done_at
                    )
                case RouteCheckRow():
                    checked = row.live == 1 and row.url_path == route_check[1]
                case EnrollmentRow():
                    found_enrollment = row.enrollment(user=user, program=program)
        if not checked:
            raise StaleRoute
    elif route_check is not None:  # a visitor: no rows of their own to fold the check into
        check_route(*route_check)
    return modules_with_progress(structures, progress, unlocked), found_enrollment


@functools.cache
def _route_sql() -> str:
    quote, meta = connection.ops.quote_name, Page._meta
    live, path, pk = (quote(meta.get_field(name).column) for name in ("live", "url_path", "id"))
    return f"SELECT {live}, {path} FROM {quote(meta.db_table)} WHERE {pk} = %s"  # noqa: S608 (names from _meta)


def check_route(page_id: int, url_path: str) -> None:
    """One query: is the page kept by this process still live at the address it was routed by?
    `StaleRoute` if not (home.core.caching.routing routes the request afresh). The SQL is written
    once from the model's `_meta` (as `rows` does): the ORM's compiling costs more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(_route_sql(), [page_id])
        found = cursor.fetchone()
    if found is None or not found[0] or found[1] != url_path:
        raise StaleRoute


def check_kept_route(lesson: LessonPage) -> None:
    """For a page served without `lesson_view` (a kept body): the route check its query would make."""
    expected_url_path = getattr(lesson, "_huddle_route_check", None)
    if expected_url_path:
        check_route(lesson.pk, expected_url_path)


def program_state(
    *, user, program: ProgramPage, responses: Responses | None = None, route_check: tuple[int, str] | None = None
) -> ProgramState:
    """Everything a program, module or lesson page needs about `user` and `program`:
    one query (the outline with progress and the enrollment), whatever the program's size."""
    outlines, enrollment = _outline(program=program, user=user, responses=responses, route_check=route_check)
    enrollments = {program.pk: enrollment} if enrollment else {}
    return program_states(user=user, programs=[program], enrollments=enrollments, outlines=outlines)[0]


@dataclass
class LessonView:
    """A lesson as one visitor sees it."""

    state: ProgramState
    lesson: LessonItem | None
    module: ModuleItem | None
    access: str  # "full", "locked", "enrol", "login"
    previous: LessonItem | None
    next: LessonItem | None
    responses: Responses | None = None

    @property
    def can_track(self) -> bool:
        """May this visitor's progress, answers and commitments be recorded here?"""
        return self.access == "full" and self.state.has_access


def lesson_view(
    *, user, lesson: LessonPage, program: ProgramPage | None = None, with_responses: bool = False
) -> LessonView:
    """Access, progress and navigation for one lesson page: one query for the user's rows (two
    when the program is not at hand). With `with_responses`, the user's own reflection answers and
    commitments on this lesson come in the same query (`view.responses`); show them only when
    `view.can_track`."""
    program = program or program_for_lesson(lesson)
    responses = Responses.for_lesson(lesson) if with_responses and user.is_authenticated else None
    # A lesson routed from the process's kept copy is checked in the same query (home.core.caching.routing).
    expected_url_path = getattr(lesson, "_huddle_route_check", None)
    route_check = (lesson.pk, expected_url_path) if expected_url_path else None
    state = program_state(user=user, program=program, responses=responses, route_check=route_check)
    lessons = state.lessons
    index = next((i for i, item in enumerate(lessons) if item.id == lesson.pk), None)
    item = lessons[index] if index is not None else None
    module = state.module_for(item.module_id) if item else None
    if item is None:
        access = "full" if state.is_coach else "enrol"  # a draft seen in preview, or not live
    elif state.has_access and not item.locked or item.free_preview:
        access = "full"
    elif state.has_access:
        access = "locked"
    elif user.is_authenticated:
        access = "enrol"
    else:
        access = "login"
    return LessonView(
        state=state,
        lesson=item,
        module=module,
        access=access,
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
        responses=responses,
    )


def module_page_context(*, request, module: ModulePage) -> dict:
    program = ProgramPage.objects.get(path=module.path[: -Page.steplen])
    state = program_state(user=request.user, program=program)
    return {
        "state": state,
        "program": program,
        "program_url": page_get_url(program),  # `program.url`, from the kept site root paths
        "module_item": state.module_for(module.pk),
        "enrolled": state.has_access,
    }
