"""In-process figures (steadier than HTTP on a busy machine): the two bare-view baselines, the
leader's pages and the pages added last (with query counts) as a ratio to our bare view, and what
each caching piece buys (the page timed with the piece on, then off through `CACHING_OFF`).

Every row is the median of `repeat` x 20 requests through Django's test client (the whole
middleware stack, no network). Run alone against a seeded database:
    .venv/bin/python manage.py shell -c "import bench.bench_pieces as b; [print(r) for r in b.run({})]"
"""

from __future__ import annotations

import datetime
import statistics
import time

from django.test import Client, override_settings
from django.urls import reverse

from bench.run import count_queries, latency_ms, repeat_of
from bench.settings_default_middleware import DEFAULT_MIDDLEWARE
from home.core.caching import memo
from home.core.caching.switches import PIECES

# Which pages each piece is measured on (the pages it is for).
PIECE_PAGES = {
    "page_cache": ["anonymous home"],
    "routes": ["lesson page (leader)", "program page (leader)", "anonymous home"],
    "kept_pages": ["lesson page (leader)"],
    "memo": ["lesson page (leader)", "program page (leader)", "learner dashboard (leader)"],
    "fetch": ["lesson page (leader)", "learner dashboard (leader)"],
}


def _client(email: str | None = None) -> Client:
    from accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _median_ms(client: Client, url: str, n: int) -> tuple[float, list[float]]:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000, samples


def _pages() -> list[tuple[str, str | None, str]]:
    """(name, login email or None, url) of every page measured."""
    from accounts.models import User
    from lessons.selectors import program_state
    from program.demo import get_program
    from tracker.models import Team

    leader = User.objects.get(email="leader@huddle.test")
    program = get_program()
    lesson = program_state(user=leader, program=program).continue_lesson
    team = Team.objects.filter(leader=leader).order_by("pk").first()
    month = datetime.date.today().replace(day=1).strftime("%Y-%m")
    pages = [
        ("lesson page (leader)", "leader@huddle.test", lesson.url),
        ("program page (leader)", "leader@huddle.test", program.url),
        ("learner dashboard (leader)", "leader@huddle.test", "/dashboard/"),
        ("anonymous home", None, "/"),
        ("search (leader)", "leader@huddle.test", "/search/?q=team"),
        ("credential check", None, reverse("certificates:check")),
        ("failed-email screen (coach)", "coach@huddle.test", reverse("runtime_failed_work")),
    ]
    if team is not None:
        pages += [
            ("tracker team dashboard", "leader@huddle.test", reverse("tracker:team", args=[team.pk])),
            ("tracker results month", "leader@huddle.test", f"/tracker/{team.pk}/results/{month}/"),
            ("tracker rankings", "leader@huddle.test", f"/tracker/{team.pk}/rankings/{month}/"),
            ("value history month", "leader@huddle.test", f"/tracker/{team.pk}/history/{month}/"),
        ]
    return pages


def _undo_page(team_id: int):
    from tracker.models import ResultImport

    return ResultImport.objects.create(team_id=team_id, status=ResultImport.Status.APPLIED, filename="bench.csv")


def run(ctx) -> list[dict]:
    n = repeat_of(ctx) * 20
    rows = []
    ours_ms, samples = _median_ms(_client(), "/bench/baseline", n)
    rows.append({"scenario": "in-process: bare view, Huddle's middleware", **latency_ms(samples), "vs bare": "1.00x"})
    with override_settings(MIDDLEWARE=DEFAULT_MIDDLEWARE, ROOT_URLCONF="bench.bench_urls"):
        default_ms, samples = _median_ms(_client(), "/bench/baseline", n)
    rows.append(
        {
            "scenario": "in-process: bare view, Django's default middleware",
            **latency_ms(samples),
            "vs bare": f"{ours_ms / default_ms:.2f}x",
            "note": f"ours runs at {default_ms / ours_ms:.2f}x of it (target 0.8x)",
        }
    )
    pages = _pages()
    undo = None
    team_url = next((url for name, _, url in pages if name == "tracker team dashboard"), None)
    if team_url:
        team_id = int(team_url.strip("/").split("/")[-1])
        undo = _undo_page(team_id)
        pages.append(
            ("undo confirmation", "leader@huddle.test", reverse("tracker:import_undo", args=[team_id, undo.pk]))
        )
    timed = {}
    try:
        for name, email, url in pages:
            client = _client(email)
            try:
                ms, samples = _median_ms(client, url, n)
            except RuntimeError as exc:
                rows.append({"scenario": f"in-process: {name}", "error": str(exc)})
                continue
            timed[name] = (email, url, ms)
            queries = count_queries(lambda client=client, url=url: client.get(url))
            rows.append(
                {
                    "scenario": f"in-process: {name}",
                    **latency_ms(samples),
                    "queries": queries,
                    "vs bare": f"{ours_ms / ms:.2f}x",
                }
            )
        for piece in PIECES:
            for name in PIECE_PAGES[piece]:
                if name not in timed:
                    continue
                email, url, on_ms = timed[name]
                with override_settings(CACHING_OFF=[piece]):
                    memo.clear()
                    off_ms, _ = _median_ms(_client(email), url, n)
                memo.clear()
                rows.append(
                    {
                        "scenario": f"piece {piece}: {name}",
                        "p50_ms": round(off_ms, 2),
                        "note": f"on {on_ms:.2f} ms, off {off_ms:.2f} ms: on is {off_ms / on_ms:.2f}x as fast",
                    }
                )
    finally:
        if undo is not None:
            undo.delete()
    return rows
