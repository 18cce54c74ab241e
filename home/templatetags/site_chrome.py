"""`{% shared_fragment "name" [vary ...] %}...{% endshared_fragment %}`: HTML that is the same for
every visitor (the footer, the menu), rendered once per process, site, menu and settings versions and the values
of the optional `vary` arguments (e.g. signed in or not, the current menu item).

The key carries the menu and settings versions (home.core.caching.versions), which move when a top-level
page is published, moved or deleted and when the site settings are saved, so the fragment is never
older than the content it shows; it is also re-rendered at least every few minutes. Put nothing per-user or per-request inside: no user, no
CSRF token, no messages, no request path.

Except in a hole: `{% per_request "name" %}...{% endper_request %}` inside a shared fragment is
left out of the kept HTML and rendered on every request, in the context of the `shared_fragment`
tag itself. Holes of the same name render once per fragment (the header's account links, shown in
the wide and the narrow menu). A fragment with a hole that is not directly in it (inside a `for`, a
`with` or an included template, where the context differs) or whose holes do not come out once
each, in order (a filter), is not kept: it renders in full on every request. A fragment inside a fragment
being kept renders in full, its holes being the outer fragment's.
"""

import secrets
from contextvars import ContextVar

from django import template
from django.utils.safestring import mark_safe

from home.core.caching import memo
from home.core.caching.versions import MENU_VERSION_KEY, SETTINGS_VERSION_KEY, current_version

register = template.Library()

# The holes met while a fragment is rendered to be kept (a ContextVar: included templates see it too).
_skeleton_holes: ContextVar[list | None] = ContextVar("huddle_fragment_holes", default=None)
_MARK = f"\x00hole-{secrets.token_hex(8)}:"  # never in real HTML: a NUL and a per-process token


class PerRequestNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        holes = _skeleton_holes.get()
        if holes is None:  # outside a fragment being kept: just the content
            return self.nodelist.render(context)
        holes.append((self, len(context.dicts)))  # how deep in `with`/`for`/includes it sits
        return mark_safe(f"{_MARK}{len(holes) - 1}\x00")  # noqa: S308 (a marker, replaced before output)


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        name = self.name.resolve(context)
        site = getattr(context.get("request"), "_wagtail_site", None)
        if _skeleton_holes.get() is not None:  # inside a fragment being kept: its holes are the outer's
            return self.nodelist.render(context)
        vary = ":".join(str(value.resolve(context)) for value in self.vary)
        versions = f"{current_version(MENU_VERSION_KEY)}:{current_version(SETTINGS_VERSION_KEY)}"
        key = f"home:fragment:{name}:{getattr(site, 'pk', '-')}:{versions}:{vary}"
        kept = memo.recall(key)
        if kept is None:
            kept = self._skeleton(context)
            if kept is None:  # holes that cannot be filled in later: render everything now
                return self.nodelist.render(context)
            memo.remember({key: kept})
        if isinstance(kept, str):
            return kept
        pieces, holes = kept
        filled: dict[str, str] = {}
        out = [pieces[0]]
        for hole, piece in zip(holes, pieces[1:], strict=True):
            name = hole.name.resolve(context)
            if name not in filled:
                filled[name] = hole.nodelist.render(context)
            out.append(filled[name])
            out.append(piece)
        return mark_safe("".join(out))  # noqa: S308 (rendered template output)

    def _skeleton(self, context):
        """The fragment's HTML (a str), or with holes: (the pieces between them, the hole nodes)."""
        holes: list[tuple[PerRequestNode, int]] = []
        token = _skeleton_holes.set(holes)
        try:
            html = self.nodelist.render(context)
        finally:
            _skeleton_holes.reset(token)
        if not holes:
            return html
        pieces = html.split(_MARK)
        rest = [pieces[0]]
        for index, piece in enumerate(pieces[1:]):
            number, _, after = piece.partition("\x00")
            if number != str(index) or index >= len(holes):
                return None
            rest.append(after)
        depth = len(context.dicts)
        if len(rest) != len(holes) + 1 or any(level != depth for _, level in holes):
            return None  # a hole inside a loop, a `with` or an included template: not at the fragment's level
        return rest, [hole for hole, _ in holes]


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs the fragment's name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])


@register.tag
def per_request(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("per_request needs the hole's name")
    nodelist = parser.parse(("endper_request",))
    parser.delete_first_token()
    return PerRequestNode(nodelist, parser.compile_filter(bits[1]))
