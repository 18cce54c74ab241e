"""The program outline: its modules and lessons as one leader sees them.

A program's structure (live modules and lessons: ids, titles, flags, order) is the same for every
visitor, so it lives in the shared cache under the structure version (one query when it is cold).
`modules_with_progress` lays one leader's rows (see `rows`) over it; percentages, drip locks,
continue and URLs are then worked out in Python, with no query per module or lesson.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from accounts.roles import is_coach
from home.core.caching import memo
from home.core.caching.frozen import freeze, thaw
from home.core.caching.urls import page_url, page_url_builder
from home.core.caching.versions import PAGES_VERSION_KEY, PROGRAMS_VERSION_KEY, bump_version, current_version
from program.models import Enrollment, ProgramPage

from ..models import ModulePage
from .rows import NO_PROGRESS, ProgressRow


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
    # The leader finished the program before this required lesson was added (or made required).
    new_since_finished: bool = False

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
    is_coach: bool
    modules: list[ModuleItem]

    @property
    def url(self) -> str:
        return url_from_path(self.program.url_path)

    @property
    def has_access(self) -> bool:
        return self.is_coach or (self.enrollment is not None and self.enrollment.is_active)

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
        """100 once the program is completed: a lesson added later does not take it back."""
        return 100 if self.completed_at else _percent(self.done_count, self.required_count)

    @property
    def new_lessons(self) -> list[LessonItem]:
        """Required lessons added since the leader completed the program (empty before then)."""
        return [lesson for lesson in self.lessons if lesson.new_since_finished]

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
    kept = memo.recall(key)
    if kept is None:
        program = ProgramPage.objects.get(path=path)
        memo.remember({key: freeze(program)})
        return program
    return thaw(kept)  # this request's own instance


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


def program_outline(program: ProgramPage) -> list[ModuleItem]:
    """The program's live modules and lessons with nobody's progress (from the shared cache)."""
    return modules_with_progress(program_structures([program]), {}, set()).get(program.pk, [])


def modules_with_progress(
    structures: dict[int, list[tuple]], progress: dict[int, ProgressRow], unlocked: set[int]
) -> dict[int, list[ModuleItem]]:
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
                done = progress.get(lesson_id, NO_PROGRESS)
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
                        completed_at=done.completed_at,
                        last_opened_at=done.last_opened_at,
                        best_score=done.best_score,
                        has_progress=done.last_opened_at is not None,
                    )
                )
            modules.append(module)
        by_program[program_id] = modules
    return by_program


def _apply_locks(state: ProgramState, *, now: datetime) -> ProgramState:
    """Drip: lock modules per the module's rule unless staff or the coach unlocked them. A leader
    who completed the program has every step open, and each required lesson they have not done
    is marked new since they finished."""
    previous: ModuleItem | None = None
    finished = state.completed_at is not None
    for number, module in enumerate(state.modules, start=1):
        module.number = number
        locked = False
        if finished:
            for lesson in module.lessons:
                lesson.new_since_finished = lesson.required and not lesson.is_complete
        elif not state.is_coach and not module.coach_unlocked and state.enrollment is not None:
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


def _urls(state: ProgramState) -> None:
    """Page URLs from url_path, as Wagtail builds them for this request's site (no query per page)."""
    build = page_url_builder()
    for module in state.modules:
        module.url = build(module.url_path) or ""
        for lesson in module.lessons:
            lesson.url = build(lesson.url_path) or ""


def url_from_path(url_path: str) -> str:
    """A page's URL from its url_path, as Wagtail's `page.get_url(request)` gives it ("" when no
    site holds it)."""
    return page_url(url_path) or ""


def program_states(
    *,
    user,
    programs: list[ProgramPage],
    enrollments: dict[int, Enrollment],
    outlines: dict[int, list[ModuleItem]],
) -> list[ProgramState]:
    """States for several programs with the enrollments and the outlines (with progress) at hand:
    drip locks and URLs, no query."""
    now = timezone.now()
    states = []
    for program in programs:
        state = ProgramState(
            program=program,
            enrollment=enrollments.get(program.pk),
            is_coach=is_coach(user),
            modules=outlines.get(program.pk, []),
        )
        _apply_locks(state, now=now)
        _urls(state)
        states.append(state)
    return states
