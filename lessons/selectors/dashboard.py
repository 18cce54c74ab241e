"""The dashboard's learning panel: every active program of one leader with progress, their recent
reflections and open commitments, in ONE query for the leader's rows (see `rows.dashboard_rows`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from home.core.caching import memo
from home.core.caching.frozen import freeze, thaw
from home.core.caching.versions import PROGRAMS_VERSION_KEY, current_version
from program.models import Enrollment, ProgramPage

from .outline import ProgramState, modules_with_progress, program_states, program_structures, url_from_path
from .rows import (
    CertificateRow,
    EnrollmentRow,
    OnFileRow,
    OpenCommitmentRow,
    ProgressRow,
    RecentReflectionRow,
    UnlockRow,
    dashboard_rows,
)


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
    on_file: OnFileRow  # how many valid certificates and settled payments (other panels skip their query at 0)
    certificates: list[CertificateRow]  # the valid ones, newest first (the certificates panel's rows)


def dashboard_learning(*, user, reflections: int = 3, commitments: int = 5) -> Learning:
    """ONE query for any number of programs, lessons and answers (a UNION ALL of the user's
    enrollments, progress, unlocks, reflections and open commitments); the programs' outlines come
    from the cache and their pages from this process's copies (one more query when those are cold)."""
    enrollments: list[Enrollment] = []
    progress: dict[int, ProgressRow] = {}
    unlocked: set[int] = set()
    recent: list[RecentReflectionRow] = []
    open_commitments: list[OpenCommitmentRow] = []
    on_file = OnFileRow(0, 0)
    certificates: list[CertificateRow] = []
    for row in dashboard_rows(user=user):
        match row:
            case ProgressRow():
                progress[row.lesson_id] = row
            case UnlockRow():
                unlocked.add(row.module_id)
            case EnrollmentRow():
                enrollments.append(row.enrollment(user=user))
            case RecentReflectionRow():
                recent.append(row)
            case OpenCommitmentRow():
                open_commitments.append(row)
            case OnFileRow():
                on_file = row
            case CertificateRow():
                certificates.append(row)
    enrollments.sort(key=lambda e: (e.enrolled_at, e.pk))
    pages = programs_by_id([e.program_id for e in enrollments])
    enrollments = [e for e in enrollments if e.program_id in pages]
    for enrollment in enrollments:
        enrollment.program = pages[enrollment.program_id]
    programs = [e.program for e in enrollments]
    states = program_states(
        user=user,
        programs=programs,
        enrollments={e.program_id: e for e in enrollments},
        outlines=modules_with_progress(program_structures(programs), progress, unlocked),
    )
    # Only the items shown get a URL (a long history costs a sort, not a URL per answer).
    recent.sort(key=lambda row: row.updated_at, reverse=True)
    open_commitments.sort(key=lambda row: row.created_at)
    return Learning(
        states=states,
        reflections=[
            DashboardItem(
                row.id,
                row.answer,
                row.prompt or "",
                row.updated_at,
                row.lesson_title,
                url_from_path(row.lesson_url_path),
            )
            for row in recent[:reflections]
        ],
        commitments=[
            DashboardItem(row.id, row.action, "", row.created_at, row.lesson_title, url_from_path(row.lesson_url_path))
            for row in open_commitments[:commitments]
        ],
        on_file=on_file,
        certificates=sorted(certificates, key=lambda c: (c.completed_on, c.id), reverse=True),
    )


def programs_by_id(ids: list[int]) -> dict[int, ProgramPage]:
    """Program pages kept in this process under the programs version; the missing ones in one query."""
    version = current_version(PROGRAMS_VERSION_KEY)
    keys = {pk: f"lessons:program-id:{version}:{pk}" for pk in ids}
    kept = {pk: memo.recall(key) for pk, key in keys.items()}
    pages = {pk: thaw(frozen) for pk, frozen in kept.items() if frozen is not None}  # per request
    missing = [pk for pk in ids if pk not in pages]
    if missing:
        fresh = {page.pk: page for page in ProgramPage.objects.filter(pk__in=missing)}
        memo.remember({keys[pk]: freeze(page) for pk, page in fresh.items()})
        pages.update(fresh)
    return pages
