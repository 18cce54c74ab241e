"""Reads for program, module and lesson pages and the dashboard, in a fixed number of queries.

The heart is `_outline`: ONE query returns every live module and lesson of one or more programs
with the leader's progress and the coach's unlocks annotated, whatever the size of the program.
Everything else (percentages, drip locks, continue, previous/next) is worked out in Python.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import DateTimeField, IntegerField, Q, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from home.core.caching import memo
from home.core.caching.routing import StaleRoute
from home.core.caching.versions import PAGES_VERSION_KEY, PROGRAMS_VERSION_KEY, bump_version, current_version
from program.models import Enrollment, ProgramPage

from .models import Commitment, LessonPage, LessonProgress, ModulePage, ModuleUnlock, ReflectionAnswer


@dataclass
class LessonItem:
    id: int
    title: str
    url_path: str
    module_id: int
    required: bool
    free_preview: bool
    estimated_minutes: int
    summary: str
    completed_at: datetime | None = None
    last_opened_at: datetime | None = None
    best_score: int | None = None
    has_progress: bool = False
    locked: bool = False
    url: str = ""

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


@dataclass
class ModuleItem:
    id: int
    title: str
    url_path: str
    summary: str
    drip: str
    drip_days: int
    coach_unlocked: bool = False
    lessons: list[LessonItem] = field(default_factory=list)
    locked: bool = False
    opens_at: datetime | None = None
    url: str = ""
    number: int = 0

    @property
    def required_lessons(self) -> list[LessonItem]:
        return [lesson for lesson in self.lessons if lesson.required]

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.required_lessons if lesson.is_complete)

    @property
    def required_count(self) -> int:
        return len(self.required_lessons)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.required_count

    @property
    def percent(self) -> int:
        return _percent(self.done_count, self.required_count)


@dataclass
class ProgramState:
    """A program as one leader sees it right now."""

    program: ProgramPage
    enrollment: Enrollment | None
    is_staff: bool
    modules: list[ModuleItem]

    @property
    def url(self) -> str:
        return url_from_path(self.program.url_path)

    @property
    def has_access(self) -> bool:
        return self.is_staff or (self.enrollment is not None and self.enrollment.is_active)

    @property
    def lessons(self) -> list[LessonItem]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def required_count(self) -> int:
        return sum(module.required_count for module in self.modules)

    @property
    def done_count(self) -> int:
        return sum(module.done_count for module in self.modules)

    @property
    def percent(self) -> int:
        return _percent(self.done_count, self.required_count)

    @property
    def all_required_done(self) -> bool:
        return self.required_count > 0 and self.done_count == self.required_count

    @property
    def completed_at(self) -> datetime | None:
        return self.enrollment.completed_at if self.enrollment else None

    @property
    def continue_lesson(self) -> LessonItem | None:
        """The next required, unfinished, unlocked lesson; then any unfinished unlocked one.
        Never a locked lesson."""
        open_lessons = [lesson for lesson in self.lessons if not lesson.locked and not lesson.is_complete]
        for lesson in open_lessons:
            if lesson.required:
                return lesson
        return open_lessons[0] if open_lessons else None

    @property
    def last_visited(self) -> LessonItem | None:
        visited = [lesson for lesson in self.lessons if lesson.last_opened_at]
        return max(visited, key=lambda lesson: lesson.last_opened_at) if visited else None

    def module_for(self, module_id: int) -> ModuleItem | None:
        return next((module for module in self.modules if module.id == module_id), None)


def _percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return min(100, (done * 100) // total)  # floor: 100 % only when everything is done


def program_for_lesson(lesson: Page) -> ProgramPage:
    """The program a lesson belongs to (its grandparent), in one query."""
    cached = getattr(lesson, "_huddle_program", None)
    if cached is not None:
        return cached
    path = lesson.path[: -2 * Page.steplen]
    # Kept in this process under the programs version (any program page change moves it).
    key = f"lessons:program:{current_version(PROGRAMS_VERSION_KEY)}:{path}"
    program = memo.recall(key)
    if program is None:
        program = ProgramPage.objects.get(path=path)
        memo.remember({key: program})
    return copy.copy(program)


ENROLLMENT_FIELDS = ("pk", "status", "source", "enrolled_at", "completed_at", "revoked_at")

# --- program structure cache ---------------------------------------------------------------
# A program's modules and lessons (ids, titles, flags, order) are the same for every visitor, so
# they live in the shared cache. The key carries a version that `bump_structure_version` moves on
# every page save, publish, unpublish, move and delete: a stale outline is never read again.

STRUCTURE_VERSION_KEY = PAGES_VERSION_KEY  # shared with the cached routes, menu and settings
STRUCTURE_KEY = "lessons:structure:{program_id}:{version}"
STRUCTURE_SECONDS = 24 * 3600


def structure_version() -> int:
    return current_version(STRUCTURE_VERSION_KEY)


def bump_structure_version() -> None:
    """Forget every cached program outline (and lesson body; see `lesson_body_cache_key`)."""
    bump_version(STRUCTURE_VERSION_KEY)


def _structure_rows(programs: list[ProgramPage]) -> dict[int, list[tuple]]:
    """One query: live modules and lessons of `programs` as plain tuples, in tree order.
    Module: ("m", id, title, url_path, summary, drip, drip_days, [lessons]);
    lesson: (id, title, url_path, required, free_preview, estimated_minutes, summary)."""
    in_programs = Q()
    for program in programs:
        in_programs |= Q(path__startswith=program.path, depth__in=(program.depth + 1, program.depth + 2))
    rows = (
        Page.objects.filter(in_programs, live=True)
        .select_related("modulepage", "lessonpage")
        .only(
            "id",
            "title",
            "path",
            "depth",
            "url_path",
            "modulepage__summary",
            "modulepage__drip",
            "modulepage__drip_days",
            "lessonpage__summary",
            "lessonpage__required",
            "lessonpage__free_preview",
            "lessonpage__estimated_minutes",
        )
        .order_by("path")
    )
    step = Page.steplen
    module_depths = {p.depth + 1 for p in programs}
    program_by_path = {program.path: program.pk for program in programs}
    by_program: dict[int, list[tuple]] = {program.pk: [] for program in programs}
    modules_by_path: dict[str, tuple] = {}
    for row in rows:
        module_part = getattr(row, "modulepage", None) if hasattr(row, "modulepage") else None
        if module_part is not None and row.depth in module_depths:
            program_id = program_by_path.get(row.path[:-step])
            if program_id is None:
                continue
            module = (row.pk, row.title, row.url_path, module_part.summary, module_part.drip, module_part.drip_days, [])
            by_program[program_id].append(module)
            modules_by_path[row.path] = module
            continue
        lesson_part = getattr(row, "lessonpage", None) if hasattr(row, "lessonpage") else None
        module = modules_by_path.get(row.path[:-step])
        if lesson_part is None or module is None:
            continue  # a lesson under an unpublished module drops out with it
        module[6].append(
            (
                row.pk,
                row.title,
                row.url_path,
                lesson_part.required,
                lesson_part.free_preview,
                lesson_part.estimated_minutes,
                lesson_part.summary,
            )
        )
    return by_program


def program_structures(programs: list[ProgramPage]) -> dict[int, list[tuple]]:
    """Each program's outline from the shared cache; the missing ones in one query."""
    if not programs:
        return {}
    version = structure_version()
    keys = {program.pk: STRUCTURE_KEY.format(program_id=program.pk, version=version) for program in programs}
    found = memo.get_many(list(keys.values()))
    structures = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [program for program in programs if program.pk not in structures]
    if missing:
        fresh = _structure_rows(missing)
        memo.set_many({keys[pk]: rows for pk, rows in fresh.items()}, STRUCTURE_SECONDS)
        structures.update(fresh)
    return structures


def _user_rows(*, user, program: ProgramPage | None, responses_for=None, page_check: int | None = None) -> list[tuple]:
    """One query (a UNION ALL, written out once per shape so no ORM compiling per request): all of
    `user`'s lesson progress, the coach's unlocks for the user or for everyone, with `program` the
    user's enrollment in it and with `responses_for` (a lesson) the user's reflection answers and
    commitments on it, and with `page_check` (a page id) that page's live flag and url_path.
    Rows: (kind, ref, t1, t2, t3, num, s1, s2); callers keep what they need.
    Datetimes come back as aware datetimes on every database."""
    sql = _user_rows_sql(
        with_enrollment=program is not None,
        with_responses=responses_for is not None,
        with_page_check=page_check is not None,
    )
    params: list = [user.pk, user.pk]
    if program is not None:
        params += [user.pk, program.pk]
    if responses_for is not None:
        params += [user.pk, responses_for.pk, user.pk, responses_for.pk]
    if page_check is not None:
        params.append(page_check)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(kind, ref, _aware(t1), _aware(t2), _aware(t3), num, s1, s2) for kind, ref, t1, t2, t3, num, s1, s2 in rows]


# --- the hand-written UNION ALLs: only quoted table and column names from the models go into their
# text, values are parameters. The first SELECT names each column's type with a typed NULL
# (PostgreSQL types a UNION from left to right).


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name: str, alias: str = "") -> str:
    column = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{column}" if alias else column


def _null(field) -> str:
    return f"CAST(NULL AS {field.db_type(connection)})"


@functools.cache
def _user_rows_sql(*, with_enrollment: bool, with_responses: bool, with_page_check: bool = False) -> str:
    table, col = _table, _col
    P, U, E, R, C = LessonProgress, ModuleUnlock, Enrollment, ReflectionAnswer, Commitment
    null_time, null_text = _null(DateTimeField()), _null(TextField())
    parts = [
        f"SELECT 'p', {col(P, 'lesson')}, {col(P, 'completed_at')}, {col(P, 'last_opened_at')}, {null_time}, "  # noqa: S608
        f"{col(P, 'best_score')}, {null_text}, {null_text} FROM {table(P)} WHERE {col(P, 'user')} = %s",
        f"SELECT 'u', {col(U, 'module')}, NULL, NULL, NULL, NULL, NULL, NULL FROM {table(U)} "  # noqa: S608
        f"WHERE {col(U, 'user')} = %s OR {col(U, 'user')} IS NULL",
    ]
    if with_enrollment:
        parts.append(
            f"SELECT 'e', {col(E, 'id')}, {col(E, 'enrolled_at')}, {col(E, 'completed_at')}, {col(E, 'revoked_at')}, "  # noqa: S608
            f"NULL, {col(E, 'status')}, {col(E, 'source')} FROM {table(E)} "
            f"WHERE {col(E, 'user')} = %s AND {col(E, 'program')} = %s"
        )
    if with_responses:
        parts.append(
            f"SELECT 'r', {col(R, 'id')}, {col(R, 'updated_at')}, NULL, NULL, NULL, {col(R, 'block_id')}, "  # noqa: S608
            f"{col(R, 'answer')} FROM {table(R)} WHERE {col(R, 'user')} = %s AND {col(R, 'lesson')} = %s"
        )
        parts.append(
            f"SELECT 'c', {col(C, 'id')}, {col(C, 'created_at')}, {col(C, 'done_at')}, NULL, NULL, "  # noqa: S608
            f"{col(C, 'block_id')}, {col(C, 'action')} FROM {table(C)} "
            f"WHERE {col(C, 'user')} = %s AND {col(C, 'lesson')} = %s"
        )
    if with_page_check:
        parts.append(
            f"SELECT 'v', {col(Page, 'id')}, NULL, NULL, NULL, CASE WHEN {col(Page, 'live')} THEN 1 ELSE 0 END, "  # noqa: S608
            f"{col(Page, 'url_path')}, NULL FROM {table(Page)} WHERE {col(Page, 'id')} = %s"
        )
    return " UNION ALL ".join(parts)


def _aware(value):
    """A raw query on SQLite gives naive datetimes (or text); PostgreSQL gives aware ones."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if value is not None and timezone.is_naive(value) else value


def _outline(
    *,
    programs: list[ProgramPage],
    user,
    with_enrollment: bool = False,
    responses: Responses | None = None,
    route_check: tuple[int, str] | None = None,
) -> tuple[dict[int, list[ModuleItem]], Enrollment | None]:
    """Live modules and lessons of `programs` with `user`'s progress and unlocks: the structure
    from the shared cache (one query when it is cold) and ONE query for the user's own rows.
    With `with_enrollment` (one program), the user's enrollment comes in that same query; with
    `responses`, the user's reflections and commitments on `responses.lesson` are filled in too;
    with `route_check` (page id, url_path) the same query checks that the page is still live at that
    address and raises `StaleRoute` if not (see home.core.caching.routing)."""
    if not programs:
        return {}, None
    structures = program_structures(programs)
    progress: dict[int, tuple] = {}
    unlocked: set[int] = set()
    found_enrollment: Enrollment | None = None
    if user.is_authenticated:
        has_outline = any(structures.values())
        enrollment_program = programs[0] if with_enrollment else None
        responses_for = responses.lesson if responses is not None and responses.wanted else None
        if has_outline or enrollment_program is not None or responses_for is not None or route_check is not None:
            rows = _user_rows(
                user=user,
                program=enrollment_program,
                responses_for=responses_for,
                page_check=route_check[0] if route_check else None,
            )
            checked = route_check is None
            for kind, ref, t1, t2, t3, num, s1, s2 in rows:
                if kind == "p":
                    progress[ref] = (t1, t2, num)
                elif kind == "u":
                    unlocked.add(ref)
                elif kind == "r":
                    responses.reflections[s1] = Response(pk=ref, block_id=s1, text=s2, at=t1, done_at=None)
                elif kind == "c":
                    responses.commitments[s1] = Response(pk=ref, block_id=s1, text=s2, at=t1, done_at=t2)
                elif kind == "v":
                    checked = num == 1 and s1 == route_check[1]
                else:
                    found_enrollment = Enrollment(
                        pk=ref,
                        user=user,
                        program=programs[0],
                        enrolled_at=t1,
                        completed_at=t2,
                        revoked_at=t3,
                        status=s1,
                        source=s2,
                    )
            if not checked:
                raise StaleRoute
    elif route_check is not None:  # a visitor: no rows of their own to fold the check into
        found = Page.objects.filter(pk=route_check[0]).values_list("live", "url_path").first()
        if found != (True, route_check[1]):
            raise StaleRoute
    return _modules(structures, progress, unlocked), found_enrollment


def _modules(structures: dict[int, list[tuple]], progress: dict[int, tuple], unlocked: set[int]):
    """Each program's ModuleItems (with LessonItems) from its cached structure and one user's rows."""
    by_program: dict[int, list[ModuleItem]] = {}
    for program_id, rows in structures.items():
        modules = []
        for module_id, title, url_path, summary, drip, drip_days, lessons in rows:
            module = ModuleItem(
                id=module_id,
                title=title,
                url_path=url_path,
                summary=summary,
                drip=drip,
                drip_days=drip_days,
                coach_unlocked=module_id in unlocked,
            )
            for lesson_id, l_title, l_url_path, required, free_preview, minutes, l_summary in lessons:
                completed, last, best = progress.get(lesson_id, (None, None, None))
                module.lessons.append(
                    LessonItem(
                        id=lesson_id,
                        title=l_title,
                        url_path=l_url_path,
                        module_id=module_id,
                        required=required,
                        free_preview=free_preview,
                        estimated_minutes=minutes,
                        summary=l_summary,
                        completed_at=completed,
                        last_opened_at=last,
                        best_score=best,
                        has_progress=last is not None,
                    )
                )
            modules.append(module)
        by_program[program_id] = modules
    return by_program


def _apply_locks(state: ProgramState, *, now: datetime) -> ProgramState:
    """Drip: lock modules per the module's rule unless staff or the coach unlocked them."""
    previous: ModuleItem | None = None
    for number, module in enumerate(state.modules, start=1):
        module.number = number
        locked = False
        if not state.is_staff and not module.coach_unlocked and state.enrollment is not None:
            if module.drip == ModulePage.Drip.DAYS:
                module.opens_at = state.enrollment.enrolled_at + timedelta(days=module.drip_days)
                locked = now < module.opens_at
            elif module.drip == ModulePage.Drip.PREVIOUS and previous is not None:
                locked = previous.locked or not previous.is_complete
        module.locked = locked
        for lesson in module.lessons:
            lesson.locked = locked and not lesson.free_preview
        previous = module
    return state


def _urls(state: ProgramState, *, root_url: str) -> None:
    """Page URLs from url_path, relative to the site root (no query per page)."""
    for module in state.modules:
        module.url = _relative(module.url_path, root_url)
        for lesson in module.lessons:
            lesson.url = _relative(lesson.url_path, root_url)


def _relative(url_path: str, root_url_path: str) -> str:
    if root_url_path and url_path.startswith(root_url_path):
        return "/" + url_path[len(root_url_path) :]
    return url_path


def _root_url_path(program: ProgramPage) -> str:
    return _site_root_of(program.url_path)


def _site_root_of(url_path: str) -> str:
    # url_path is "/<site root slug>/<program>/..."; the site root is its first segment.
    parts = url_path.strip("/").split("/")
    return "/" + parts[0] + "/" if len(parts) > 1 else "/"


def url_from_path(url_path: str) -> str:
    """A page's URL from its url_path, without a query (single-site Huddle)."""
    return _relative(url_path, _site_root_of(url_path))


def program_states(
    *, user, programs: list[ProgramPage], enrollments: dict[int, Enrollment], outlines=None
) -> list[ProgramState]:
    """States for several programs with the enrollments already at hand: one query."""
    if outlines is None:
        outlines, _ = _outline(programs=programs, user=user)
    now = timezone.now()
    states = []
    for program in programs:
        state = ProgramState(
            program=program,
            enrollment=enrollments.get(program.pk),
            is_staff=bool(getattr(user, "is_staff", False)),
            modules=outlines.get(program.pk, []),
        )
        _apply_locks(state, now=now)
        _urls(state, root_url=_root_url_path(program))
        states.append(state)
    return states


def program_state(
    *, user, program: ProgramPage, responses: Responses | None = None, route_check: tuple[int, str] | None = None
) -> ProgramState:
    """Everything a program, module or lesson page needs about `user` and `program`:
    one query (the outline with progress and the enrollment), whatever the program's size."""
    outlines, enrollment = _outline(
        programs=[program],
        user=user,
        with_enrollment=user.is_authenticated,
        responses=responses,
        route_check=route_check,
    )
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
        access = "full" if state.is_staff else "enrol"  # a draft seen in preview, or not live
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
        from .body_cache import block_types

        # From the stored JSON: no block conversion, no document query.
        return cls(lesson=lesson, wanted=bool(block_types(lesson) & {"reflection", "apply_it"}))


def module_page_context(*, request, module: ModulePage) -> dict:
    program = ProgramPage.objects.get(path=module.path[: -Page.steplen])
    state = program_state(user=request.user, program=program)
    return {
        "state": state,
        "program": program,
        "module_item": state.module_for(module.pk),
        "enrolled": state.has_access,
    }


def program_page_context(*, request, program: ProgramPage) -> dict:
    state = program_state(user=request.user, program=program)
    return {"state": state, "enrolled": state.has_access}


@dataclass
class DashboardItem:
    """A recent reflection or an open commitment, for the dashboard."""

    pk: int
    text: str
    prompt: str
    at: datetime
    lesson_title: str
    lesson_url: str


@dataclass
class Learning:
    """The dashboard's learning panel: active programs with progress, recent reflections and open
    commitments."""

    states: list[ProgramState]
    reflections: list[DashboardItem]
    commitments: list[DashboardItem]


def dashboard_learning(*, user, reflections: int = 3, commitments: int = 5) -> Learning:
    """ONE query for any number of programs, lessons and answers (a UNION ALL of the user's
    enrollments, progress, unlocks, reflections and open commitments); the programs' outlines come
    from the cache and their pages from this process's copies (one more query when those are cold)."""
    enrollments: list[Enrollment] = []
    progress: dict[int, tuple] = {}
    unlocked: set[int] = set()
    found: dict[str, list[DashboardItem]] = {"r": [], "c": []}
    with connection.cursor() as cursor:
        cursor.execute(_dashboard_sql(), [user.pk] * 5)
        rows = cursor.fetchall()
    for kind, ref, ref2, t1, t2, t3, num, s1, s2, s3, s4 in rows:
        t1, t2, t3 = _aware(t1), _aware(t2), _aware(t3)
        if kind == "p":
            progress[ref] = (t1, t2, num)
        elif kind == "u":
            unlocked.add(ref)
        elif kind == "e":
            enrollments.append(
                Enrollment(
                    pk=ref,
                    user=user,
                    program_id=ref2,
                    enrolled_at=t1,
                    completed_at=t2,
                    revoked_at=t3,
                    status=s1,
                    source=s2,
                )
            )
        else:  # "r" reflections, "c" open commitments
            found[kind].append(DashboardItem(ref, s1, s2 or "", t1, s3, url_from_path(s4)))
    enrollments.sort(key=lambda e: (e.enrolled_at, e.pk))
    pages = _programs_by_id([e.program_id for e in enrollments])
    enrollments = [e for e in enrollments if e.program_id in pages]
    for enrollment in enrollments:
        enrollment.program = pages[enrollment.program_id]
    programs = [e.program for e in enrollments]
    states = program_states(
        user=user,
        programs=programs,
        enrollments={e.program_id: e for e in enrollments},
        outlines=_modules(program_structures(programs), progress, unlocked),
    )
    return Learning(
        states=states,
        reflections=sorted(found["r"], key=lambda item: item.at, reverse=True)[:reflections],
        commitments=sorted(found["c"], key=lambda item: item.at)[:commitments],
    )


def _programs_by_id(ids: list[int]) -> dict[int, ProgramPage]:
    """Program pages kept in this process under the programs version; the missing ones in one query."""
    version = current_version(PROGRAMS_VERSION_KEY)
    keys = {pk: f"lessons:program-id:{version}:{pk}" for pk in ids}
    pages = {pk: memo.recall(key) for pk, key in keys.items()}
    missing = [pk for pk, page in pages.items() if page is None]
    if missing:
        fresh = {page.pk: page for page in ProgramPage.objects.filter(pk__in=missing)}
        memo.remember({keys[pk]: page for pk, page in fresh.items()})
        pages.update(fresh)
    return {pk: copy.copy(page) for pk, page in pages.items() if page is not None}


@functools.cache
def _dashboard_sql() -> str:
    table, col = _table, _col
    P, U, E, R, C = LessonProgress, ModuleUnlock, Enrollment, ReflectionAnswer, Commitment
    null_time, null_text, null_int = _null(DateTimeField()), _null(TextField()), _null(IntegerField())
    page, lesson_live = table(Page), col(Page, "live", "pg")
    title, url_path = col(Page, "title", "pg"), col(Page, "url_path", "pg")
    # columns: kind, ref, ref2, t1, t2, t3, num, s1, s2, s3, s4
    parts = [
        f"SELECT 'p', {col(P, 'lesson')}, {null_int}, {col(P, 'completed_at')}, {col(P, 'last_opened_at')}, "  # noqa: S608
        f"{null_time}, {col(P, 'best_score')}, {null_text}, {null_text}, {null_text}, {null_text} "
        f"FROM {table(P)} WHERE {col(P, 'user')} = %s",
        f"SELECT 'u', {col(U, 'module')}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM {table(U)} "  # noqa: S608
        f"WHERE {col(U, 'user')} = %s OR {col(U, 'user')} IS NULL",
        f"SELECT 'e', {col(E, 'id')}, {col(E, 'program')}, {col(E, 'enrolled_at')}, {col(E, 'completed_at')}, "  # noqa: S608
        f"{col(E, 'revoked_at')}, NULL, {col(E, 'status')}, {col(E, 'source')}, NULL, NULL FROM {table(E)} "
        f"WHERE {col(E, 'user')} = %s AND {col(E, 'status')} = '{Enrollment.Status.ACTIVE}'",
        f"SELECT 'r', {col(R, 'id', 'x')}, NULL, {col(R, 'updated_at', 'x')}, NULL, NULL, NULL, "  # noqa: S608
        f"{col(R, 'answer', 'x')}, {col(R, 'prompt', 'x')}, {title}, {url_path} FROM {table(R)} x "
        f"INNER JOIN {page} pg ON pg.{connection.ops.quote_name('id')} = {col(R, 'lesson', 'x')} "
        f"WHERE {col(R, 'user', 'x')} = %s AND {lesson_live}",
        f"SELECT 'c', {col(C, 'id', 'x')}, NULL, {col(C, 'created_at', 'x')}, NULL, NULL, NULL, "  # noqa: S608
        f"{col(C, 'action', 'x')}, NULL, {title}, {url_path} FROM {table(C)} x "
        f"INNER JOIN {page} pg ON pg.{connection.ops.quote_name('id')} = {col(C, 'lesson', 'x')} "
        f"WHERE {col(C, 'user', 'x')} = %s AND {col(C, 'done_at', 'x')} IS NULL AND {lesson_live}",
    ]
    return " UNION ALL ".join(parts)


__all__ = ["LessonPage"]
