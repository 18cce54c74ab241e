"""Site search: the public site for everyone, and lesson text for the leaders who may read it.

Two indexes, so access is decided before anything matches (never by hiding results afterwards):
- the page index (Wagtail's, PostgreSQL full text in production) holds titles, summaries and the
  public pages' text; a lesson is in it by title and summary only, never by body;
- `LessonSearchText` holds lesson bodies and is searched only with a filter to the lessons this
  user may read now: free previews, and for an enrolled leader the lessons drip has opened.
A lesson the user may not read is shown by title and summary, marked "locked" (with the date it
opens) or "enrol"; a visitor never sees a paid lesson's text in a result or a snippet.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search.backends import get_search_backend

from home.core.caching import memo
from home.core.caching.versions import PAGES_VERSION_KEY, current_version
from home.newsletter.models import NewsletterIssuePage
from program.models import ProgramPage

from ..models import LessonPage, LessonSearchText
from .dashboard import programs_by_id
from .outline import (
    LessonItem,
    ModuleItem,
    ProgramState,
    modules_with_progress,
    program_states,
    program_structures,
    url_from_path,
)
from .rows import EnrollmentRow, ProgressRow, UnlockRow, dashboard_rows

MAX_QUERY_LENGTH = 200
RESULTS_LIMIT = 200  # per index; more than anyone pages through
SNIPPET_CHARS = 220
# Fields that describe a page in a sentence or two, in order of preference.
DESCRIPTION_FIELDS = ("search_description", "summary", "intro", "promise", "preheader")


@dataclass
class SearchHit:
    title: str
    url: str
    kind: str  # "Lesson", "Step", "Program", "Page", ...
    snippet: SafeString
    score: float
    access: str = "full"  # lessons: "full", "locked" or "enrol"
    opens_at: datetime | None = None
    where: str = ""  # "9 Steps · Step 2: Publish"


def clean_query(raw: str) -> str:
    """The query as searched: whitespace collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def _terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w+", query.lower()) if len(term) > 1]


def snippet(text: str, query: str) -> SafeString:
    """Up to SNIPPET_CHARS of `text` around the first query term, escaped, terms in <mark>."""
    text = " ".join((text or "").split())
    terms = _terms(query)
    lowered = text.lower()
    first = min((lowered.find(term) for term in terms if term in lowered), default=-1)
    start = max(0, first - SNIPPET_CHARS // 3) if first > 0 else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + SNIPPET_CHARS
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = escape(text[start:end])
    if terms:
        pattern = re.compile("(" + "|".join(re.escape(term) for term in terms) + ")", re.IGNORECASE)
        piece = pattern.sub(r"<mark>\1</mark>", piece)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))  # noqa: S308 (escaped above)


@dataclass
class _Found:
    """A found page (not a lesson) with just what a result shows: no StreamField, no query per type."""

    model: type | None
    title: str
    url_path: str
    kind: str
    description: str
    shown: bool


@functools.cache
def _page_links() -> dict[type, tuple[str, ...]]:
    """Each page model and the description fields (and `sent_at`) its own table holds."""
    links: dict[type, tuple[str, ...]] = {}
    for model in get_page_models():
        if model is Page or not model._meta.parents:
            continue
        fields = tuple(
            field.name
            for field in model._meta.local_concrete_fields
            if field.name in (*DESCRIPTION_FIELDS, "sent_at") and not isinstance(field, StreamField)
        )
        if fields:
            links[model] = fields
    return links


def _column(model: type, name: str) -> str:
    return f"_found_{model._meta.app_label}_{model._meta.model_name}_{name}"


def _found_pages(ids) -> dict[int, _Found]:
    """ONE query for any number of found pages of any types: the page row, its type and each
    type's description fields, one small subquery per field (lessons come from the outline).

    Subqueries, not a LEFT JOIN per page model: nine joins cost ~15 ms to plan, and on tables never
    analyzed the planner multiplied their guesses into a cost in the billions (docs/performance.md)."""
    links = _page_links()
    columns = {
        _column(model, name): Subquery(model._default_manager.filter(pk=OuterRef("pk")).order_by().values(name)[:1])
        for model, fields in links.items()
        for name in fields
    }
    only = ["id", "title", "url_path", "search_description", "content_type__app_label", "content_type__model"]
    rows = Page.objects.filter(pk__in=ids).select_related("content_type").only(*only).annotate(**columns)
    found = {}
    for row in rows:
        model = row.content_type.model_class()
        values = {"search_description": row.search_description}
        for name in links.get(model, ()):
            values[name] = getattr(row, _column(model, name))
        description = next(
            (values[name] for name in DESCRIPTION_FIELDS if isinstance(values.get(name), str) and values[name].strip()),
            "",
        )
        found[row.pk] = _Found(
            model=model,
            title=row.title,
            url_path=row.url_path,
            kind=model._meta.verbose_name.removesuffix(" page").capitalize() if model else "Page",
            description=description,
            # Live and public but not served yet: an issue before it is sent.
            shown=not (model is NewsletterIssuePage and values.get("sent_at") is None),
        )
    return found


def _lesson_access(state: ProgramState, lesson: LessonItem) -> str:
    if lesson.free_preview or (state.has_access and not lesson.locked):
        return "full"
    return "locked" if state.has_access else "enrol"


def _program_states(*, user, programs: list[ProgramPage]) -> list[ProgramState]:
    """Every program as `user` sees it: outlines from the shared cache (one query when cold) and
    ONE query for the user's enrollments, progress and unlocks, however many programs there are."""
    progress: dict[int, ProgressRow] = {}
    unlocked: set[int] = set()
    enrollments = {}
    if user.is_authenticated:
        for row in dashboard_rows(user=user):
            match row:
                case ProgressRow():
                    progress[row.lesson_id] = row
                case UnlockRow():
                    unlocked.add(row.module_id)
                case EnrollmentRow():
                    enrollment = row.enrollment(user=user)
                    enrollments[enrollment.program_id] = enrollment  # active ones: only they give access
    outlines = modules_with_progress(program_structures(programs), progress, unlocked)
    return program_states(user=user, programs=programs, enrollments=enrollments, outlines=outlines)


SEARCH_SECONDS = 600  # a backstop: every change that moves a result moves the pages version first


@dataclass
class _Matches:
    """What matched a query among the public pages and the given readable lessons: the same for
    every user who may read those lessons, so it is cached under the pages version (see `_matches`)."""

    scores: dict[int, float]
    body_text: dict[int, str]
    pages: dict[int, _Found]


class _Private:
    """The private sections' condition, read (one query) only when a cache misses, at most once."""

    def __init__(self):
        self._q = None

    def __call__(self):
        if self._q is None:
            self._q = Page.objects.all().private_q()
        return self._q


def _public_programs(private: _Private) -> list[ProgramPage]:
    """The live programs outside every private section, in tree order. Their ids are cached under
    the pages version (publishing, unpublishing, moving a page and any view restriction move it),
    their pages kept per process (`programs_by_id`)."""
    key = f"lessons:search-programs:{current_version(PAGES_VERSION_KEY)}"
    ids = memo.get(key)
    if ids is None:
        programs = list(ProgramPage.objects.live().exclude(private()))
        memo.set(key, [program.pk for program in programs], SEARCH_SECONDS)
        return programs
    by_id = programs_by_id(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _matches(*, query: str, readable: list[int], private: _Private) -> _Matches:
    """The page index's and the readable lesson text's matches for `query`, and the found pages.

    Cached per (pages version, query, set of readable lessons): a result holds lesson text only for
    the lessons in its key, so it is served only to someone who may read exactly those. Page text
    and the lesson text index change only with a publish, unpublish, move or delete (the pages
    version moves; `index_lesson_text` moves it too), a view restriction the same. An issue not sent
    yet is decided by `sent_at`, written without a signal: a result with one is never cached."""
    digest = hashlib.sha256(f"{query}\x00{','.join(map(str, sorted(readable)))}".encode()).hexdigest()
    key = f"lessons:search:{current_version(PAGES_VERSION_KEY)}:{digest}"
    found = memo.get(key)
    if found is not None:
        return found
    scores: dict[int, float] = {}
    page_search = Page.objects.live().exclude(private()).filter(depth__gt=1).search(query).annotate_score("_score")
    for hit in page_search[:RESULTS_LIMIT]:
        scores[hit.pk] = float(hit._score or 0)
    body_text: dict[int, str] = {}
    if readable:
        readable_text = LessonSearchText.objects.filter(lesson_id__in=readable)
        text_search = get_search_backend().search(query, readable_text).annotate_score("_score")
        for hit in text_search[:RESULTS_LIMIT]:
            body_text[hit.lesson_id] = hit.text
            scores[hit.lesson_id] = max(scores.get(hit.lesson_id, 0.0), float(hit._score or 0))
    found = _Matches(scores=scores, body_text=body_text, pages=_found_pages(scores) if scores else {})
    if all(page.shown for page in found.pages.values()):
        memo.set(key, found, SEARCH_SECONDS)
    return found


def site_search(*, user, query: str) -> list[SearchHit]:
    """Everything `user` may find for `query`, best first. Empty for an empty query.

    The user's own rows (enrollments, progress, unlocks) are read on every search (one query); what
    matched among the pages and the lessons they may read comes from `_matches`' cache."""
    query = clean_query(query)
    if not _terms(query):
        return []
    private = _Private()
    states = _program_states(user=user, programs=_public_programs(private))
    lessons: dict[int, tuple[ProgramState, ModuleItem, LessonItem]] = {}
    for state in states:
        for module in state.modules:
            for lesson in module.lessons:
                lessons[lesson.id] = (state, module, lesson)
    readable = [pk for pk, (state, _, lesson) in lessons.items() if _lesson_access(state, lesson) == "full"]

    matches = _matches(query=query, readable=readable, private=private)
    scores, body_text, pages = matches.scores, matches.body_text, matches.pages
    if not scores:
        return []

    hits = []
    for pk, score in scores.items():
        page = pages.get(pk)
        if page is None:
            continue
        if page.model is LessonPage:
            if pk not in lessons:
                continue  # under an unpublished module: not on the site
            state, module, item = lessons[pk]
            access = _lesson_access(state, item)
            text = body_text.get(pk) if access == "full" else None
            hits.append(
                SearchHit(
                    title=item.title,
                    url=item.url,
                    kind="Lesson",
                    snippet=snippet(text or item.summary, query),
                    score=score,
                    access=access,
                    opens_at=module.opens_at if access == "locked" else None,
                    where=f"{state.program.title} · Step {module.number}: {module.title}",
                )
            )
        elif page.shown:
            hits.append(
                SearchHit(
                    title=page.title,
                    url=url_from_path(page.url_path),
                    kind=page.kind,
                    snippet=snippet(page.description, query),
                    score=score,
                )
            )
    hits.sort(key=lambda hit: (-hit.score, hit.title))
    return hits
