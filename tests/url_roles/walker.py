"""Walk the resolver: every URL pattern (through includes) with its name and a path filled with the
first leader's real ids; and how a response is classed (allowed, refused, or a server error)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Django's and Wagtail's admins are the frameworks' own (their own permission checks, tested
# upstream); the walker checks only that their doors send strangers to a login (see the rules).
SKIPPED_PREFIXES = ("admin/", "django-admin/", "anymail/")
# Their login doors are probed anyway:
DOORS = ("/admin/", "/admin/login/", "/django-admin/", "/django-admin/login/", "/admin/password_reset/")


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route when the pattern has no name
    route: str
    names: tuple  # the keyword arguments the route needs


def patterns(url_patterns=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    found = []
    for p in get_resolver().url_patterns if url_patterns is None else url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            found += patterns(p.url_patterns, route, inner)
        elif isinstance(p, URLPattern):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            key = namespace + p.name if p.name else route
            found.append(Pattern(key, route, tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))))
    return found


def unruled(found: list[Pattern], rules: dict) -> list[str]:
    """Pattern keys that no rule covers: a new URL must say who may see it."""
    return sorted({p.key for p in found} - set(rules))


def fill(pattern: Pattern, world) -> str | None:
    """The path with the first leader's ids, or None for routes the walker cannot build (regex)."""
    from django.urls import reverse

    if "^" in pattern.route or "(?" in pattern.route:
        return None
    kwargs = {}
    for raw in re.findall(r"<(?:(\w+):)?(\w+)>", pattern.route):
        _conv, name = raw
        if name == "pk":
            kwargs[name] = world.pk_for[pattern.key]
        else:
            kwargs[name] = world.args[name]
    if ":" in pattern.key or pattern.key.isidentifier():
        return reverse(pattern.key, kwargs=kwargs)
    return "/" + pattern.route


def to_login(response) -> bool:
    where = response.get("Location", "")
    return response.status_code == 302 and any(
        door in where for door in ("/accounts/login/", "/admin/login/", "/_util/login/", "/django-admin/login/")
    )


def outcome(response, team_path: str) -> str:
    """'error' (5xx), 'login' (sent to log in), 'refused' (4xx or a redirect away from the first
    leader's data), or 'shown' (200, or a redirect onto the first leader's own pages)."""
    code = response.status_code
    if code >= 500:
        return "error"
    if to_login(response):
        return "login"
    if code in (301, 302, 303, 307, 308):
        return "shown" if team_path in response.get("Location", "") else "moved"
    if code >= 400:
        return "refused"
    return "shown"
