"""The meeting PDF: stored per content, rendered in the request for small teams and in the
background for big ones, never stale, never enqueued twice, and 404 for anyone else."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tracker.bulk_sample import build_team
from tracker.models import MeetingPdf
from tracker.rules import month_start
from tracker.services import meeting
from tracker.services.meeting import INLINE_MAX_CELLS, PENDING_RETRY_SECONDS, request_pdf
from tracker.tasks import render_meeting_pdf

from .factories import TrackerUserFactory, sales_results

MARCH = datetime.date(2024, 3, 1)
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
Status = MeetingPdf.Status


@pytest.fixture
def queued():
    """Tasks are only queued (as by `manage.py db_worker` before it picks them up): the list of
    render_meeting_pdf ids enqueued so far."""
    with override_settings(TASKS=DUMMY_TASKS):
        backend = render_meeting_pdf.get_backend()
        yield lambda: [r.args[0] for r in backend.results if r.task.name == render_meeting_pdf.name]


@pytest.fixture
def background(monkeypatch):
    """Every PDF counts as big: the background path, without building a 200-member team."""
    monkeypatch.setattr(meeting, "INLINE_MAX_CELLS", 0)


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint ran."""
    calls = []
    real = meeting.render_pdf

    def counting(**kwargs):
        calls.append(kwargs["template"])
        return real(**kwargs)

    monkeypatch.setattr(meeting, "render_pdf", counting)
    return calls


def _results(team, members, metrics, values=(D("120"), D("90"), D("60"))):
    sales_results(team, members, metrics, month=MARCH, values=values)


def _get(client, team, capture, month=MARCH):
    with capture(execute=True):  # run on-commit callbacks: that is where the render is enqueued
        return client.get(reverse("tracker:meeting_pdf", args=[team.pk, month]))


def _is_pdf(response) -> bool:
    return (
        response.status_code == 200
        and response["Content-Type"] == "application/pdf"
        and response.content.startswith(b"%PDF")
    )


def test_small_team_renders_in_the_request_once_per_content(
    team, members, metrics, leader_client, renders, queued, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    first = _get(leader_client, team, django_capture_on_commit_callbacks)
    second = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert _is_pdf(first) and _is_pdf(second)
    assert second.content == first.content
    assert len(renders) == 1 and queued() == []  # the second one is the stored PDF
    assert "no-cache" in first["Cache-Control"]


def test_big_team_gets_a_waiting_page_then_the_pdf(
    team, members, metrics, leader_client, background, queued, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    waiting = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert "Preparing your PDF" in html
    assert '<meta http-equiv="refresh" content="3">' in html  # reloads itself, no JavaScript needed
    assert reverse("tracker:meeting", args=[team.pk, MARCH]) in html  # a way back
    assert waiting["Retry-After"] == "3" and "no-cache" in waiting["Cache-Control"]
    row = MeetingPdf.objects.get(team=team, month=MARCH)
    assert row.status == Status.PENDING and queued() == [row.pk]

    render_meeting_pdf.call(row.pk)  # what the worker does

    ready = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert _is_pdf(ready)
    assert ready["Content-Disposition"] == 'inline; filename="results-2024-03.pdf"'
    row.refresh_from_db()
    assert row.status == Status.READY and row.render_seconds is not None
    assert queued() == [row.pk]  # serving it enqueued nothing more


def test_waiting_does_not_enqueue_the_render_again(
    team, members, metrics, leader_client, background, queued, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    for _ in range(4):  # the page reloading itself, a second tab, a double click
        assert _get(leader_client, team, django_capture_on_commit_callbacks).status_code == 202
    assert len(queued()) == 1
    assert MeetingPdf.objects.filter(team=team).count() == 1


def test_another_process_that_lost_the_race_does_not_enqueue(
    team, members, metrics, background, queued, monkeypatch, django_capture_on_commit_callbacks
):
    """Two app processes look, find nothing, and both insert: the unique (team, key) lets one win,
    and only the winner enqueues."""
    _results(team, members, metrics)
    with django_capture_on_commit_callbacks(execute=True):
        winner = request_pdf(team=team, month=MARCH)
    assert winner.enqueued and queued() == [winner.row.pk]
    monkeypatch.setattr(meeting, "_stored", lambda **kwargs: None)  # looked before the winner committed
    with django_capture_on_commit_callbacks(execute=True):
        loser = request_pdf(team=team, month=MARCH)
    assert not loser.enqueued and loser.row.pk == winner.row.pk and loser.row.status == Status.PENDING
    assert queued() == [winner.row.pk]


def test_a_render_the_worker_lost_is_enqueued_again_once(
    team, members, metrics, leader_client, background, queued, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - datetime.timedelta(seconds=PENDING_RETRY_SECONDS + 1)
    MeetingPdf.objects.update(requested_at=long_ago)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    row = MeetingPdf.objects.get()
    assert queued() == [row.pk, row.pk] and row.requested_at > long_ago


def test_changed_results_never_serve_the_old_pdf(
    team, members, metrics, leader_client, background, queued, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    render_meeting_pdf.call(queued()[-1])
    old = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert _is_pdf(old)
    old_key = MeetingPdf.objects.get().key

    _results(team, members, metrics, values=(D("60"), D("90"), D("120")))  # the ranking turns around

    after = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert after.status_code == 202  # not the old PDF: a new one is being made
    assert len(queued()) == 2
    render_meeting_pdf.call(queued()[-1])
    new = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert _is_pdf(new)
    row = MeetingPdf.objects.get()  # the old PDF is gone, only the current one is kept
    assert row.key != old_key and row.status == Status.READY


def test_results_changed_while_queued_render_the_new_data(
    team, members, metrics, leader_client, background, queued, django_capture_on_commit_callbacks
):
    """The worker renders the data as it is when it runs; the row asked for the old data goes."""
    _results(team, members, metrics)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    requested = MeetingPdf.objects.get()
    _results(team, members, metrics, values=(D("60"), D("90"), D("120")))
    render_meeting_pdf.call(requested.pk)
    assert not MeetingPdf.objects.filter(pk=requested.pk).exists()
    assert _is_pdf(_get(leader_client, team, django_capture_on_commit_callbacks))
    assert len(queued()) == 1  # the PDF for the new data was already there


def test_small_team_pdf_follows_the_data_too(
    team, members, metrics, leader_client, renders, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    _get(leader_client, team, django_capture_on_commit_callbacks)
    team.name = "South Sales"  # anything the PDF shows, not only results
    team.save()
    assert _is_pdf(_get(leader_client, team, django_capture_on_commit_callbacks))
    assert len(renders) == 2
    assert MeetingPdf.objects.filter(team=team).count() == 1


def test_a_failed_render_says_so_and_can_be_retried(
    team, members, metrics, leader_client, background, queued, monkeypatch, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    _get(leader_client, team, django_capture_on_commit_callbacks)

    def broken(**kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(meeting, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        render_meeting_pdf.call(queued()[-1])
    row = MeetingPdf.objects.get()
    assert row.status == Status.FAILED and "fonts missing" in row.error

    failed = _get(leader_client, team, django_capture_on_commit_callbacks)
    assert failed.status_code == 503 and b"could not be prepared" in failed.content
    assert b'http-equiv="refresh"' not in failed.content  # no endless reloading
    assert len(queued()) == 1  # not retried at once

    monkeypatch.undo()
    MeetingPdf.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=2))
    assert _get(leader_client, team, django_capture_on_commit_callbacks).status_code == 202
    assert len(queued()) == 2
    render_meeting_pdf.call(queued()[-1])
    assert _is_pdf(_get(leader_client, team, django_capture_on_commit_callbacks))


@pytest.mark.parametrize("big", [False, True])
def test_another_leader_gets_404_and_starts_nothing(
    big, team, members, metrics, leader, intruder, client, queued, monkeypatch, django_capture_on_commit_callbacks
):
    _results(team, members, metrics)
    if big:
        monkeypatch.setattr(meeting, "INLINE_MAX_CELLS", 0)
    client.login(email=leader.email, password=PASSWORD)
    _get(client, team, django_capture_on_commit_callbacks)  # the leader's PDF exists or is pending
    before = list(MeetingPdf.objects.values_list("pk", "status", "requested_at"))
    client.logout()
    client.login(email=intruder.email, password=PASSWORD)
    for month in (MARCH, datetime.date(2024, 4, 1)):  # the existing PDF and one never asked for
        assert _get(client, team, django_capture_on_commit_callbacks, month=month).status_code == 404
    assert list(MeetingPdf.objects.values_list("pk", "status", "requested_at")) == before
    assert len(queued()) == (1 if big else 0)


@pytest.mark.slow
def test_a_real_big_team_goes_to_the_background_in_fixed_queries(
    db, client, queued, django_capture_on_commit_callbacks
):
    """60 members x 6 metrics (full rankings) is over the inline limit; the triggering request
    reads the board, renders HTML and queues the render: no WeasyPrint, few queries."""
    leader = TrackerUserFactory()
    team = build_team(leader=leader, members=60, months=3)
    month = month_start(timezone.localdate())
    context = meeting.meeting_context(team, month, for_pdf=True)
    assert meeting.pdf_cells(context) > INLINE_MAX_CELLS
    client.login(email=leader.email, password=PASSWORD)
    url = reverse("tracker:meeting_pdf", args=[team.pk, month])
    client.get(reverse("tracker:team", args=[team.pk]))  # warm per-process caches
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 202
    with CaptureQueriesContext(connection) as waiting:
        assert client.get(url).status_code == 202
    assert len(first.captured_queries) <= 12 and len(waiting.captured_queries) <= 12
    render_meeting_pdf.call(queued()[0])
    assert _is_pdf(client.get(url))
