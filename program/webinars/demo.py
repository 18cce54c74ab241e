"""Demo webinars: the free "5 Strategies" webinar with two dates (one nearly full) and a past
webinar with its replay. Idempotent: existing pages are left as they are."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from home.models import HomePage

from .models import WebinarIndexPage, WebinarPage, WebinarRegistration, WebinarSession

NEW_YORK = ZoneInfo("America/New_York")
Status = WebinarRegistration.Status


def _at_noon(days_from_now: int) -> datetime:
    day = timezone.localdate(timezone.now(), NEW_YORK) + timedelta(days=days_from_now)
    return datetime.combine(day, time(12, 0), tzinfo=NEW_YORK)


def _index(home: HomePage, log) -> WebinarIndexPage:
    index = WebinarIndexPage.objects.first()
    if index:
        return index
    index = WebinarIndexPage(
        title="Free webinars",
        slug="webinars",
        intro="Live, free and practical: an hour with the coach on the habits that make sales teams consistent.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    log("webinars: index page /webinars/")
    return index


def _webinar(index, *, slug, title, summary, learn, sessions, log) -> WebinarPage | None:
    if WebinarPage.objects.filter(slug=slug).exists():
        return None
    page = WebinarPage(
        title=title,
        slug=slug,
        summary=summary,
        presenter="Dana Whitfield",
        presenter_bio=(
            "Dana ran sales for two regional homebuilders for fifteen years and now coaches the managers "
            "who lead their sales teams."
        ),
        what_you_will_learn=learn,
        body=[
            (
                "text",
                "<p>Bring one real situation from your team. Every strategy comes with a next step you can take this week.</p>",
            )
        ],
    )
    page.sessions = [WebinarSession(**s) for s in sessions]
    index.add_child(instance=page)
    page.save_revision().publish()
    log(f"webinars: /webinars/{slug}/")
    return page


def _attendees(session: WebinarSession, count: int, *, prefix: str, attended: bool = False) -> None:
    now = timezone.now()
    WebinarRegistration.objects.bulk_create(
        [
            WebinarRegistration(
                session=session,
                email=f"{prefix}{n}@example.com",
                name=f"Demo attendee {n}",
                company="Lakeside Homes" if n % 2 else "Ridgeline Builders",
                role="Sales Manager",
                team_size="6-10",
                status=Status.REGISTERED,
                seated_at=now,
                attended_at=(session.starts_at + timedelta(minutes=2)) if attended and n % 3 else None,
            )
            for n in range(count)
        ],
        ignore_conflicts=True,
    )


def seed(*, log) -> None:
    home = HomePage.objects.first()
    if home is None:
        log("webinars: no home page, skipped")
        return
    index = _index(home, log)
    upcoming = _webinar(
        index,
        slug="5-strategies-high-performance",
        title="5 Strategies to Create a Culture of High Performance",
        summary="An hour on the five habits that make a sales team hit its numbers every month, not just the good ones.",
        learn=(
            "<ul><li>How to set targets so every rep knows them on the first of the month</li>"
            "<li>Why publishing results changes behaviour faster than any speech</li>"
            "<li>The monthly 1:1 that takes twenty minutes and prevents surprises</li>"
            "<li>Addressing low performance firmly and fairly, before it spreads</li>"
            "<li>Celebrating personal bests, not only the top of the leaderboard</li></ul>"
        ),
        sessions=[
            {
                "starts_at": _at_noon(9),
                "duration_minutes": 60,
                "capacity": 40,
                "join_url": "https://meet.example.com/huddle-5s-a",
            },
            {
                "starts_at": _at_noon(23),
                "duration_minutes": 60,
                "capacity": 100,
                "join_url": "https://meet.example.com/huddle-5s-b",
            },
        ],
        log=log,
    )
    if upcoming:
        nearly_full = upcoming.sessions.order_by("starts_at").first()
        _attendees(nearly_full, 37, prefix="demo-5s-")
        log("webinars: first date nearly full (37 of 40 seats)")
    past = _webinar(
        index,
        slug="monthly-one-on-one",
        title="The Twenty-Minute Monthly One-on-One",
        summary="A walk through a monthly review that keeps reps honest about their numbers and keeps you supportive.",
        learn="<ul><li>What to look at before the meeting</li><li>Three questions that open the real conversation</li></ul>",
        sessions=[
            {
                "starts_at": _at_noon(-21),
                "duration_minutes": 45,
                "capacity": 80,
                "join_url": "https://meet.example.com/huddle-1on1",
                "replay_url": "https://video.example.com/huddle-monthly-one-on-one",
            }
        ],
        log=log,
    )
    if past:
        _attendees(past.sessions.get(), 24, prefix="demo-1on1-", attended=True)
        log("webinars: past webinar with replay and attendance")
