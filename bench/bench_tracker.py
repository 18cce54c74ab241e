"""Tracker timings for a big team (200 members x 36 months x 6 metrics), in-process through the
test client: p50/p95 over `repeat` requests (default 10) with each page's query count.

Rows: the rankings page, the team dashboard, the results grid, a member's 1:1 page (each warm:
rendered once per team data version, views/cached.py), the rankings page right after a write (cold:
the version moved before every request, as after each save), the rankings page after a grid save
once the warm task has run (tracker/views/warm.py; the worker's time in the row's note); and the
meeting PDF, which a team this size gets from a background task: the request that asks for it first
(it answers 202 "being prepared" and enqueues the render), the waiting page reloading itself (must
enqueue nothing), the worker's fresh render (tracker.tasks.render_meeting_pdf: board, HTML and
WeasyPrint), and serving the stored PDF afterwards.

run(ctx) -> rows; `ctx` may carry "repeat". Builds the team inside a transaction that is rolled
back, so nothing stays behind. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_tracker as b; [print(r) for r in b.run({})]"
"""

import time
import uuid

from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from bench.run import count_queries, latency_ms, repeat_of

MEMBERS, MONTHS, METRICS = 200, 36, 6
# Tasks are only queued while measuring the request that enqueues one (as with the production
# database queue); the render itself is timed separately, as the worker runs it.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _timed(action, repeat: int, *, before=None) -> list[float]:
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def _get(client: Client, url: str, status: int = 200):
    def action():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response

    return action


def _page(name: str, client: Client, url: str, repeat: int, target_ms: int) -> dict:
    action = _get(client, url)
    action()  # warm up (templates, per-process caches)
    samples = _timed(action, repeat)
    return {
        "scenario": name,
        "n": len(samples),
        **latency_ms(samples),
        "queries": count_queries(action),
        "target_ms": target_ms,
    }


def _cold_page(name: str, client: Client, url: str, repeat: int, target_ms: int, team_id: int) -> dict:
    """The page right after a write to its team: every request renders it afresh."""
    from tracker.data_version import bump_data_version

    action = _get(client, url)
    action()
    samples = _timed(action, repeat, before=lambda: bump_data_version(team_id=team_id))
    return {"scenario": name, "n": len(samples), **latency_ms(samples), "target_ms": target_ms}


def _after_save(name: str, client: Client, url: str, repeat: int, target_ms: int, *, grid_url: str, cell: str) -> dict:
    """The page right after a grid save whose warm task has run (tracker/views/warm.py): the save is
    posted with the tasks only queued, the worker's run of them is timed apart, then the page."""
    backend_settings = override_settings(TASKS=QUEUE_ONLY)
    action = _get(client, url)
    worker, samples = [], []
    for index in range(repeat + 1):
        with backend_settings:
            from tracker.views.warm import warm_team_pages

            backend = warm_team_pages.get_backend()
            queued = len(backend.results)
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = client.post(
                    grid_url,
                    {f"c_{cell}": str(1000 + index), f"o_{cell}": _original(client, grid_url, cell), "save": "1"},
                )
            assert response.status_code == 302, response.status_code
            jobs = backend.results[queued:]
        start = time.perf_counter()
        for job in jobs:
            job.task.call(*job.args, **job.kwargs)
        worker.append(time.perf_counter() - start)
        samples.append(_timed(action, 1)[0])
    samples, worker = samples[1:], worker[1:]  # the first was the warm-up
    return {
        "scenario": name,
        "n": len(samples),
        **latency_ms(samples),
        "target_ms": target_ms,
        "note": f"the worker's warm task p50 {latency_ms(worker)['p50_ms']} ms",
    }


def _original(client: Client, grid_url: str, cell: str) -> str:
    """The stored value the grid shows for `cell` (its hidden original), as a browser would post it."""
    html = client.get(grid_url).content.decode()
    marker = f'name="o_{cell}" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def run(ctx) -> list[dict]:
    from accounts.models import User
    from tracker.bulk_sample import build_team
    from tracker.models import MeetingPdf, TrackerAccess
    from tracker.rules import add_months
    from tracker.selectors import current_month
    from tracker.services import meeting
    from tracker.tasks import render_meeting_pdf

    repeat = repeat_of(ctx)
    size = f"{MEMBERS}x{MONTHS}x{METRICS}"
    with transaction.atomic():
        leader = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:8]}@bench.invalid", full_name="Bench Leader")
        TrackerAccess.objects.create(user=leader)
        team = build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=METRICS)
        client = Client()
        client.force_login(leader)
        month = add_months(current_month(), -1)
        rows = [
            _page(
                f"tracker rankings page ({size})",
                client,
                reverse("tracker:rankings", args=[team.pk, month]),
                repeat,
                500,
            ),
            _page(f"tracker team dashboard ({size})", client, reverse("tracker:team", args=[team.pk]), repeat, 500),
            _page(
                f"tracker results grid ({size})",
                client,
                reverse("tracker:results", args=[team.pk, current_month()]),
                repeat,
                500,
            ),
            _page(
                f"tracker 1:1 agenda ({size})",
                client,
                reverse("tracker:one_on_one", args=[team.pk, current_month(), team.members.order_by("pk").first().pk]),
                repeat,
                500,
            ),
            _cold_page(
                f"tracker rankings page right after a write ({size})",
                client,
                reverse("tracker:rankings", args=[team.pk, month]),
                repeat,
                500,
                team.pk,
            ),
            _after_save(
                f"tracker rankings page after a grid save, warm task run ({size})",
                client,
                reverse("tracker:rankings", args=[team.pk, month]),
                repeat,
                500,
                grid_url=reverse("tracker:results", args=[team.pk, month]),
                cell=f"{team.members.order_by('pk').first().pk}_{team.metrics.order_by('pk').first().pk}",
            ),
        ]

        pdf_url = reverse("tracker:meeting_pdf", args=[team.pk, month])
        cells = meeting.pdf_cells(meeting.meeting_context(team, month, for_pdf=True))
        forget = MeetingPdf.objects.filter(team=team).delete
        with override_settings(TASKS=QUEUE_ONLY):
            backend = render_meeting_pdf.get_backend()

            def trigger():
                with TestCase.captureOnCommitCallbacks(execute=True):  # enqueue, as after a commit
                    _get(client, pdf_url, status=202)()

            forget()
            trigger()  # warm up
            trigger_samples = _timed(trigger, repeat, before=forget)
            forget()
            trigger_queries = count_queries(trigger)
            queued_before = len(backend.results)
            waiting = _get(client, pdf_url, status=202)  # the page reloading itself meanwhile
            waiting_samples = _timed(waiting, repeat)
            waiting_queries = count_queries(waiting)
            queued_while_waiting = len(backend.results) - queued_before

            renders = max(3, repeat // 2)
            pending = []

            def new_request():
                forget()
                trigger()
                pending.append(MeetingPdf.objects.get(team=team).pk)

            render_samples = _timed(lambda: render_meeting_pdf.call(pending[-1]), renders, before=new_request)
            stored = _get(client, pdf_url)
            assert stored().content.startswith(b"%PDF")
            stored_samples = _timed(stored, repeat)
            stored_queries = count_queries(stored)
        transaction.set_rollback(True)

    pdf = f"tracker meeting PDF ({size})"
    rows += [
        {
            "scenario": f"{pdf}: request that enqueues it (202)",
            "n": len(trigger_samples),
            **latency_ms(trigger_samples),
            "queries": trigger_queries,
            "target_ms": 500,
        },
        {
            "scenario": f"{pdf}: waiting page while pending (202)",
            "n": len(waiting_samples),
            **latency_ms(waiting_samples),
            "queries": waiting_queries,
            "enqueued": queued_while_waiting,
            "target_ms": 500,
        },
        {
            "scenario": f"{pdf}: fresh render in the worker",
            "n": len(render_samples),
            **latency_ms(render_samples),
            "target_ms": 5000,
            "note": f"{cells} table cells; rendered in the request only up to {meeting.INLINE_MAX_CELLS}",
        },
        {
            "scenario": f"{pdf}: stored PDF served",
            "n": len(stored_samples),
            **latency_ms(stored_samples),
            "queries": stored_queries,
            "target_ms": 500,
        },
    ]
    return rows


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    for row in run({}):
        print(row)
