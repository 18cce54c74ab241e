"""The learner dashboard is built from panels that each app registers.

An app calls `register_panel(...)` in its AppConfig.ready(); the dashboard view asks each
panel for its context (one selector call each) and renders its template in `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int
    get_context: Callable[[HttpRequest], dict | None]  # None hides the panel


_panels: dict[str, Panel] = {}


def register_panel(*, key: str, template: str, order: int, get_context: Callable[[HttpRequest], dict | None]) -> None:
    _panels[key] = Panel(key=key, template=template, order=order, get_context=get_context)


def shared(request: HttpRequest, key: str, compute: Callable[[], Any]) -> Any:
    """Compute `key` once per request, so several panels that need the same rows (the user's
    teams, an access check) share one query instead of each running their own."""
    cache = request.__dict__.setdefault("_dashboard_shared", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def panels_for(request: HttpRequest) -> list[dict]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.get_context(request)
        if context is not None:
            rendered.append({"key": panel.key, "template": panel.template, "context": context})
    return rendered
