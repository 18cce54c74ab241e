"""The lesson body's shared parts, rendered once and kept in the shared cache.

Text, headings, videos, worksheets, callouts and quotes read the same for every leader allowed to
see the lesson, so their HTML is cached under a key made from the lesson id and a hash of the
stored body: a new revision (or any edit of the body) gives a new key, so nothing needs clearing.
Reflections, apply-it commitments and knowledge checks show one leader's own answers, so they are
always rendered per request. Callers decide access FIRST: `lesson_body_parts` is only called for
a visitor the lesson view has already given full access to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from home.core.caching import memo
from home.core.caching.versions import release

PER_USER_BLOCKS = frozenset({"reflection", "apply_it", "knowledge_check"})
BODY_KEY = "lessons:body:{release}:{lesson_id}:{digest}"
BODY_SECONDS = 3600  # document and image URLs inside the HTML are refreshed at least hourly


@dataclass
class BodyPart:
    """One block of the body: ready HTML (shared) or the block to render with the page context."""

    html: SafeString | None = None
    block: object | None = None
    block_type: str = ""


def raw_blocks(lesson) -> list[dict]:
    """The body's stored JSON (type, value, id per block) without converting any block."""
    return list(lesson.body.raw_data)


def block_types(lesson) -> set[str]:
    return {item.get("type", "") for item in raw_blocks(lesson)}


def body_digest(lesson) -> str:
    """A hash of the stored body, kept on the lesson instance (a lesson kept by
    home.core.caching.routing carries it along as a frozen extra: see `LessonPage.frozen_extras`)."""
    digest = getattr(lesson, "_huddle_body_digest", None)
    if digest is None:
        stored = json.dumps(raw_blocks(lesson), sort_keys=True, cls=DjangoJSONEncoder)
        digest = hashlib.sha256(stored.encode()).hexdigest()[:32]
        lesson._huddle_body_digest = digest
    return digest


def body_cache_key(lesson) -> str:
    # The release too: a deploy may change how blocks render.
    return BODY_KEY.format(release=release(), lesson_id=lesson.pk, digest=body_digest(lesson))


def lesson_body_parts(lesson, *, use_cache: bool = True) -> list[BodyPart]:
    """The body in order. Shared blocks come as HTML (from the cache, or rendered and cached now);
    per-user blocks come as blocks. Previews pass `use_cache=False` (drafts are not shared)."""
    raw = raw_blocks(lesson)
    key = body_cache_key(lesson) if use_cache else None
    shared = memo.get(key) if key else None
    if shared is None:
        shared = {}
        for index, item in enumerate(raw):
            if item.get("type") not in PER_USER_BLOCKS:
                child = lesson.body[index]  # converts only blocks of this type (one bulk load per type)
                shared[_block_key(item, index)] = str(child.render(context={"block_id": child.id}))
        if key:
            memo.set(key, shared, BODY_SECONDS)
    parts = []
    for index, item in enumerate(raw):
        block_type = item.get("type", "")
        if block_type in PER_USER_BLOCKS:
            parts.append(BodyPart(block=lesson.body[index], block_type=block_type))
        else:
            parts.append(BodyPart(html=mark_safe(shared.get(_block_key(item, index), "")), block_type=block_type))  # noqa: S308 (our own rendered block HTML)
    return parts


def _block_key(item: dict, index: int) -> str:
    return item.get("id") or f"#{index}"
