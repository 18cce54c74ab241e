"""Lesson page serving and the leader's actions on a lesson (complete, quiz, reflect, commit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.roles import is_coach

from . import page_body, services
from .body_cache import block_types, lesson_body_parts
from .models import Commitment, LessonPage
from .selectors import check_kept_route, lesson_view, url_from_path
from .selectors.reflections import my_reflections as my_reflections_rows
from .selectors.search import clean_query, site_search

QUIZ_SESSION_KEY = "lessons:quiz:{lesson_id}"
RESULTS_PER_PAGE = 10
QUIZ_FEEDBACK_ID = "quiz-feedback"  # the element a submitted knowledge check lands on (and focuses)


def search(request):
    """/search/?q=...: the public site, and the lessons this user may read (see `site_search`)."""
    query = clean_query(request.GET.get("q", ""))
    hits = site_search(user=request.user, query=query)
    results = Paginator(hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))  # bad numbers: 1 or the last
    response = TemplateResponse(request, "lessons/search.html", {"query": query, "results": results})
    add_never_cache_headers(response)  # results depend on who asks
    return response


def serve_lesson(request, lesson: LessonPage, *, preview: bool = False):
    """The lesson page: full body only when `lesson_view` says so; progress recorded on open. A
    signed-in leader's body is kept per version of what it shows (`page_body`), never a preview's."""
    if preview and not (is_coach(request.user) or lesson.permissions_for_user(request.user).can_edit()):
        raise Http404  # previews are for the coach and whoever Wagtail lets edit this lesson
    quiz_key = QUIZ_SESSION_KEY.format(lesson_id=lesson.pk)
    key = None
    if not preview and request.user.is_authenticated and quiz_key not in request.session:
        key = page_body.body_key(request, lesson)
        kept = page_body.kept_body(key)
        if kept is not None:  # kept only for a leader with full access who may track progress
            check_kept_route(lesson)  # a page kept by routing: still live at this address (one query)
            services.lesson_open(
                user=request.user,
                lesson=lesson,
                program_id=kept.program_id,
                exists=kept.has_progress,
                last_opened_at=kept.last_opened_at,
            )
            return _lesson_response(request, lesson, page_body.serve_kept(request, kept))
    view = lesson_view(
        user=request.user,
        lesson=lesson,
        program=getattr(lesson, "_huddle_program", None),
        with_responses=True,  # the leader's own answers, in the same query as their progress
    )
    reflections, commitments, quiz_result = {}, {}, None
    if view.access == "full" and view.state.has_access and request.user.is_authenticated:
        reflections, commitments = view.responses.reflections, view.responses.commitments
        if view.can_track and not preview:
            services.lesson_open(
                user=request.user,
                lesson=lesson,
                program_id=view.state.program.pk,
                exists=bool(view.lesson and view.lesson.has_progress),
                last_opened_at=view.lesson.last_opened_at if view.lesson else None,
            )
        quiz_result = request.session.pop(quiz_key, None)
    page_context = lesson.get_context(request)  # the page's own context: the body's and the page's
    context = {
        **page_context,
        "view": view,
        "state": view.state,
        "program": view.state.program,
        "program_url": url_from_path(view.state.program.url_path),
        "enrolled": view.state.has_access,
        "module_item": view.module,
        "lesson_item": view.lesson,
        "reflections": reflections,
        "commitments": commitments,
        "quiz_result": quiz_result,
        "login_url": f"/accounts/login/?next={request.path}",
        # The body only after the access check: shared blocks from the cache, per-user ones live.
        "body_parts": lesson_body_parts(lesson, use_cache=not preview) if view.access == "full" else [],
        "has_knowledge_check": "knowledge_check" in block_types(lesson),
    }
    body = page_body.render_body(request, context, key=key, view=view)
    return _lesson_response(request, lesson, body, page_context=page_context)


def _lesson_response(request, lesson: LessonPage, body, *, page_context: dict | None = None) -> TemplateResponse:
    """The page around the body, with the page's own context (`page_context` when the body's
    rendering made it already, else made here: once a request either way)."""
    page_context = lesson.get_context(request) if page_context is None else page_context
    response = TemplateResponse(request, "lessons/lesson_page.html", {**page_context, "lesson_body": body})
    add_never_cache_headers(response)  # per-leader content: never in a shared cache
    return response


def _lesson_or_404(pk: int) -> LessonPage:
    return get_object_or_404(LessonPage.objects.live(), pk=pk)


def _back(request, lesson: LessonPage, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(url_from_path(lesson.url_path) + anchor)


@require_POST
@login_required
def complete(request, pk: int):
    lesson = _lesson_or_404(pk)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except services.LessonError as exc:
        messages.error(request, str(exc))
        return _back(request, lesson)
    messages.success(request, f"“{lesson.title}” is complete.")
    view = lesson_view(user=request.user, lesson=lesson)
    if view.next is not None and not view.next.locked:
        return HttpResponseRedirect(view.next.url)
    return _back(request, lesson)


@require_POST
@login_required
def quiz(request, pk: int):
    lesson = _lesson_or_404(pk)
    answers = {key: request.POST.getlist(f"q-{key}") for key, _ in services.quiz_questions(lesson)}
    try:
        attempt = services.quiz_submit(user=request.user, lesson=lesson, answers=answers)
    except services.LessonError as exc:
        messages.error(request, str(exc))
        return _back(request, lesson, "#knowledge-check")
    checks = lesson.knowledge_checks
    request.session[QUIZ_SESSION_KEY.format(lesson_id=lesson.pk)] = {
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": lesson.pass_mark,
        "answers": attempt.answers,
        # The score and what to do next are shown at the top of the first check, where the page lands.
        "feedback_block": checks[0].id if checks else "",
    }
    return _back(request, lesson, f"#{QUIZ_FEEDBACK_ID}")


@require_POST
@login_required
def reflection(request, pk: int, block_id: str):
    lesson = _lesson_or_404(pk)
    try:
        services.reflection_save(
            user=request.user, lesson=lesson, block_id=block_id, answer=request.POST.get("answer", "")
        )
    except services.LessonError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your reflection is saved. Only you can see it.")
    return _back(request, lesson, f"#block-{block_id}")


@require_POST
@login_required
def commit(request, pk: int, block_id: str):
    lesson = _lesson_or_404(pk)
    try:
        services.commitment_make(user=request.user, lesson=lesson, block_id=block_id)
    except services.LessonError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Committed. It is on your dashboard until you check it off.")
    return _back(request, lesson, f"#block-{block_id}")


@require_POST
@login_required
def commitment_done(request, pk: int):
    try:
        commitment = services.commitment_mark_done(
            user=request.user, commitment_id=pk, done=request.POST.get("done", "1") != "0"
        )
    except Commitment.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, "Nice work: commitment checked off." if commitment.done_at else "Commitment reopened.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/dashboard/"
    return HttpResponseRedirect(next_url or "/dashboard/")


@login_required
def my_reflections(request):
    """Every reflection answer and commitment of this leader across the program, printable, with
    the choice to share reflections with the coach (one query, `selectors.reflections`)."""
    if request.method == "POST":
        share = request.POST.get("share_with_coach") == "on"
        services.reflection_sharing_set(user=request.user, share=share)
        messages.success(
            request, "Your coach can now read your reflections." if share else "Your reflections are private again."
        )
        return HttpResponseRedirect(request.path)
    page = my_reflections_rows(user=request.user)
    response = TemplateResponse(
        request, "lessons/my_reflections.html", {"lessons": page.lessons, "shared": page.shared, "count": page.count}
    )
    add_never_cache_headers(response)
    return response
