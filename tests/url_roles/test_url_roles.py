"""The URL x role walker: every URL the resolver knows (through includes) and every page type of the
page tree, as eight people (anonymous, a fresh verified account, an unverified account, the first
leader, another leader, the first leader's co-leader, a company buyer, the coach), with the first
leader's real ids in the URLs. Asserts each GET against the rules table (rules.py), that every
refused role's POST changes nothing, that nothing answers a 500, and that no URL lacks a rule."""

import hashlib

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.urls import include, path
from wagtail.models import Page

from . import walker
from .rules import DENIED, MOVED, PAGE_RULES, PAGE_SECRETS, RULES, SHOWN
from .world import ROLES, build

pytestmark = pytest.mark.django_db

# The apps whose rows a refused POST must not touch.
WATCHED_APPS = ("accounts", "tracker", "program", "payments", "certificates", "webinars", "lessons", "newsletter")
NOT_WATCHED = {"Session"}


def fingerprint() -> dict:
    """Each watched model -> a digest of all its rows (the world is small)."""
    prints = {}
    for app in WATCHED_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__ not in NOT_WATCHED and not issubclass(model, Page):  # pages: the admin's
                rows = repr(list(model.objects.order_by("pk").values_list())).encode()
                prints[model.__name__] = hashlib.sha256(rows).hexdigest()
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


@pytest.fixture
def world(home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    return build(home_page)


def test_every_url_has_a_rule():
    assert walker.unruled(walker.patterns(), RULES) == []


def test_a_new_url_without_a_rule_fails_the_walker():
    def view(request):
        return HttpResponse()

    extra = [
        path("brand-new/", view, name="brand_new"),
        path("x/", include(([path("y/<int:pk>/", view, name="y")], "ns"))),
    ]
    found = walker.patterns() + walker.patterns(extra)
    assert walker.unruled(found, RULES) == ["brand_new", "ns:y"]
    assert walker.unruled(walker.patterns([path("admin/new/", view, name="skipped")]), RULES) == []


def test_every_url_as_every_role(world):
    problems = []
    for pattern in walker.patterns():
        url = walker.fill(pattern, world)
        if url is None:  # regex routes (allauth keys, the page tree, documents): probed elsewhere
            continue
        expected = RULES[pattern.key]
        refused = [role for role in ROLES if not expected[role] & {SHOWN, "posts"}]
        for role in ROLES:
            got = walker.outcome(world.clients[role].get(url), world.team_path)
            if got not in expected[role] - {"posts"}:
                problems.append(f"GET {url} as {role}: {got}, expected {sorted(expected[role])}")
        if expected is RULES["account_login"]:  # ANYONE: no one is refused, nothing to POST
            continue
        before = fingerprint()
        for role in refused:
            response = world.clients[role].post(url, {"name": "x", "email": "x@example.com", "text": "x"})
            got = walker.outcome(response, world.team_path)
            if got not in DENIED | {MOVED}:
                problems.append(f"POST {url} as {role}: {got} ({response.status_code})")
            after = fingerprint()
            if changes := changed(before, after):
                problems.append(f"POST {url} as {role} changed {changes}")
            before = after
    assert problems == [], "\n".join(problems)


def test_every_page_type_as_every_role(world):
    problems = []
    seen = set()
    for page in world.pages:
        kind = type(page).__name__
        seen.add(kind)
        for role in ROLES:
            response = world.clients[role].get(page.url)
            got = walker.outcome(response, world.team_path)
            if got not in PAGE_RULES[kind][role]:
                problems.append(f"{kind} {page.url} as {role}: {got}")
            marker, allowed = PAGE_SECRETS.get(kind, ("", ROLES))
            if marker and (marker in response.content.decode()) != (role in allowed):
                problems.append(f"{kind} {page.url} as {role}: body shown={role not in allowed}")
    assert problems == [], "\n".join(problems)
    from wagtail.models import get_page_models

    assert {m.__name__ for m in get_page_models() if m.__name__ != "Page"} <= set(PAGE_RULES) | {"StandardPage"}


def test_the_admin_doors_send_strangers_to_log_in(world):
    for door in walker.DOORS:
        got = walker.outcome(world.clients["anonymous"].get(door), world.team_path)
        assert got in ("login", "shown", "moved"), door  # a login form is 200; the admin's reset goes to ours
    for role in ("verified", "leader", "other_leader", "coleader", "buyer"):
        for door in ("/admin/", "/django-admin/"):
            response = world.clients[role].get(door)
            assert response.status_code in (302, 403), (role, door, response.status_code)


def test_the_coachs_reports_inside_the_admin_are_the_coachs_only(world):
    """The coach's learner reports live under the skipped admin prefix: probed here by hand."""
    from django.urls import reverse

    program, leader = world.args["program_id"], world.users["leader"].pk
    urls = [
        reverse("program_reports"),
        reverse("program_report_learners", args=[program]),
        reverse("program_report_learner", args=[program, leader]),
        reverse("program_report_quiz", args=[program]),
        reverse("shared_reflections"),
        reverse("certificates_report"),  # learners' names: the coach's only (others 404 or the login)
    ]
    for url in urls:
        for role in ROLES:
            got = walker.outcome(world.clients[role].get(url), world.team_path)
            assert got == ("shown" if role == "coach" else got) and got != "error", (url, role, got)
            if role != "coach":
                assert got in DENIED | {MOVED}, (url, role, got)


def test_only_the_coach_moves_her_dashboard_mark(world):
    """ "Mark all as seen" (POST-only, inside the skipped admin prefix): a GET is never shown, and
    everyone but the coach POSTs without changing anything."""
    from django.urls import reverse
    from django.utils import timezone

    from lessons.models import DashboardSeen

    url = reverse("lessons_changes_seen")
    for role in ROLES:
        client = world.clients[role]
        assert walker.outcome(client.get(url), world.team_path) in DENIED | {MOVED}, role
        client.post(url, {"until": timezone.now().isoformat()})
        assert DashboardSeen.objects.filter(user=world.users[role]).exists() == (role == "coach"), role
