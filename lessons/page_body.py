"""The lesson page's body for one signed-in leader, rendered once per version of what it shows.

The body (lessons/includes/lesson_body.html: the lesson, the leader's answers, progress, outline
and pager) depends on the lesson page and the tree around it, on this leader's learning rows and
on who the leader is, and on where and how it is shown. Its key is made of:

- the leader's id and the lesson's id and stored body (`body_digest`);
- the pages version (every save, publish, unpublish, move and delete of a page, every Site, view
  restriction and site-settings change: `home.core.caching.versions`), so privacy, routes and
  scheduled publishing show on the next request;
- the leader's learning version and every leader's (`program.learner_data`: every write of their
  progress, quiz attempts, reflections, commitments, enrollments, unlocks and certificates);
- the leader's user version and every user's (`accounts.user_cache`: groups, permissions, "is this
  the coach", a deactivation);
- the release (a deploy may change templates), the host, scheme and path (URLs, the forms' `next`),
  the language and the time zone (dates are shown in the leader's zone).
An entry is only kept for a leader with full access who may track progress (the only page that
is then served from it), never for a preview, nor while a quiz result waits in the session; it is
rendered with a slot for the CSRF token (`home.core.caching.csrf_slot`) and carries the moment a
dripped module opens (`valid_until`), after which it is rendered again. The key starts with the
leader's id, and the entry is read only for the signed-in user whose id it is, so one leader's
body can never be served to another. A lesson kept by routing (home.core.caching.routing) is still
checked live at its address before a kept body is served (`check_kept_route`, one query), as the
leader's rows query checks it when the body is rendered. Document and image URLs inside the shared
blocks are as old as `body_cache` allows, plus at most `SECONDS` here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accounts.user_cache import version_keys
from home.core.caching import quick_read
from home.core.caching.csrf_slot import CSRF_SLOT, fill
from home.core.caching.versions import (
    LEARNERS_VERSION_KEY,
    PAGES_VERSION_KEY,
    current_versions,
    learner_version_key,
)

from .body_cache import body_digest
from .selectors import LessonView

TEMPLATE = "lessons/includes/lesson_body.html"
KEY = "lessons:page-body:{user_id}:{lesson_id}:{digest}"
SECONDS = 60 * 60  # a backstop only: every change the body shows moves a version in its key
KEPT_HERE = 500  # the most recent bodies also kept in this process (one per leader and lesson)


@dataclass(frozen=True)
class Kept:
    """A kept body and what the view needs without reading the leader's rows again."""

    html: str
    valid_until: datetime | None
    program_id: int
    has_progress: bool  # for `services.lesson_open`: record the opening as the live path would
    last_opened_at: datetime | None


def body_key(request, lesson) -> str:
    user_id = request.user.pk
    counters = [PAGES_VERSION_KEY, LEARNERS_VERSION_KEY, learner_version_key(user_id), *version_keys(user_id)]
    parts = [
        *current_versions(counters),
        body_digest(lesson),
        request.scheme,
        request.get_host(),
        request.path,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return KEY.format(user_id=int(user_id), lesson_id=int(lesson.pk), digest=digest)


# The most recent bodies of this process, in front of the shared cache (Django's local-memory cache:
# least recently used first out). A body is one leader's, so it has no place in
# `home.core.caching.memo`, whose entries every request shares.
recent = LocMemCache("huddle-lesson-page-bodies", {"TIMEOUT": SECONDS, "OPTIONS": {"MAX_ENTRIES": KEPT_HERE}})


def kept_body(key: str) -> Kept | None:
    """The body kept under `key`, unless a dripped module has opened since it was rendered."""
    kept = recent.get(key)
    if kept is None:
        kept = quick_read.get_many([key]).get(key)
        if type(kept) is not Kept:
            return None
        recent.set(key, kept)
    if kept is None or (kept.valid_until is not None and timezone.now() >= kept.valid_until):
        return None
    return kept


def render_body(request, context: dict, *, key: str | None = None, view: LessonView | None = None) -> SafeString:
    """The body for this request; kept under `key` when given (a leader with full access who may
    track progress: `view.can_track`)."""
    if key is None or view is None or not view.can_track:
        return SafeString(render_to_string(TEMPLATE, context, request))
    html = render_to_string(TEMPLATE, {**context, "csrf_token": CSRF_SLOT}, request)
    kept = Kept(
        html=str(html),
        valid_until=_next_opening(view),
        program_id=view.state.program.pk,
        has_progress=bool(view.lesson and view.lesson.has_progress),
        last_opened_at=view.lesson.last_opened_at if view.lesson else None,
    )
    cache.set(key, kept, SECONDS)
    recent.set(key, kept)
    return fill(request, html)


def serve_kept(request, kept: Kept) -> SafeString:
    return fill(request, kept.html)


def _next_opening(view: LessonView) -> datetime | None:
    """The next moment a module of the program opens for this leader (its lock and every outline
    and "continue" link change then)."""
    now = timezone.now()
    openings = [module.opens_at for module in view.state.modules if module.opens_at and module.opens_at > now]
    return min(openings, default=None)
