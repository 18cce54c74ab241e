"""Reflections the leaders chose to share with the coach, newest first (the coach's list that the
dashboard's "reflections shared with you" count opens). Only what is shared right now: a leader
who stops sharing disappears from the list at once, as on the per-learner page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

from program.models import ProgramPage

from ..models import ReflectionAnswer

PER_PAGE = 25


@dataclass
class SharedReflection:
    answer: ReflectionAnswer
    program: ProgramPage | None  # the program the lesson belongs to (for the per-learner link)
    lesson_url: str = ""  # filled by the view (page URLs depend on the request's site)


def shared_reflections_query(
    *, program: ProgramPage | None = None, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[ReflectionAnswer]:
    """Shared reflections answered (or last edited) in [since, until), the same rule as the
    dashboard's count, so a link from the panel shows exactly what it counted."""
    query = ReflectionAnswer.objects.filter(user__reflection_sharing__share_with_coach=True)
    if program is not None:
        query = query.filter(lesson__path__startswith=program.path)
    if since is not None:
        query = query.filter(updated_at__gte=since)
    if until is not None:
        query = query.filter(updated_at__lt=until)
    return query


def shared_reflections_page(
    *,
    programs: list[ProgramPage],
    program: ProgramPage | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page_number: str | int | None = 1,
) -> tuple[Page, list[SharedReflection]]:
    """One page (25) of shared reflections with their leader, lesson and program: one query whatever
    the amount of data (the total rides along as a window count; a page past the end costs a count
    and the last page again); `programs` is the list the filter offers."""
    query = (
        shared_reflections_query(program=program, since=since, until=until)
        .select_related("user", "lesson")
        .order_by("-updated_at", "-pk")
    )
    page = _page_with_total(query, page_number)
    by_path = sorted(programs, key=lambda p: len(p.path), reverse=True)

    def program_of(answer: ReflectionAnswer) -> ProgramPage | None:
        return next((p for p in by_path if answer.lesson.path.startswith(p.path)), None)

    return page, [SharedReflection(answer=answer, program=program_of(answer)) for answer in page.object_list]


def _page_with_total(query: QuerySet, page_number: str | int | None) -> Page:
    """Paginator.get_page's answer (a bad number gives page 1, one past the end the last page) with
    the total read from the page's own rows instead of a separate COUNT."""
    try:
        number = max(int(page_number or 1), 1)
    except (TypeError, ValueError):
        number = 1
    counted = query.annotate(total_rows=Window(Count("pk")))
    rows = list(counted[(number - 1) * PER_PAGE : number * PER_PAGE])
    paginator = Paginator(query, PER_PAGE)
    if rows:
        paginator.count = rows[0].total_rows  # cached_property: set once, read by the page
        return Page(rows, number, paginator)
    if number == 1:  # the first page is empty: there are none at all, no need to count them
        paginator.count = 0
        return Page([], 1, paginator)
    return paginator.get_page(number)  # nothing here: past the end, or no reflections at all
