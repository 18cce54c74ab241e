"""The pages the bench measures, built from the seeded data: (name, who, url, kind).

`who` is the login email (None: anonymous); `kind` is the target class the standard sets:
"leader" (>= 0.10x the bare view), "lesson" (>= 0.20x), "anonymous" (>= 1.0x) or "coach"/"public"
(printed, no target). Shared by bench_cpu.py, bench_pieces.py and scale_wrk.py.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

LEADER = "leader@huddle.test"
COACH = "coach@huddle.test"
TARGETS = {"leader": 0.10, "lesson": 0.20, "anonymous": 1.0}


def leader_pages(*, leader_email: str = LEADER, coach_email: str = COACH) -> list[tuple[str, str | None, str, str]]:
    """Every page a leader uses (with their first team's tracker pages), the anonymous CMS pages
    and the pages added in the last two sessions (coach's funnel, learner page, dashboard panel,
    shared reflections, rhythm console and page per leader; reflections, rhythm, sharing, year to
    date, annual targets, one member at a time, the office board link)."""
    from accounts.models import User
    from lessons.selectors import program_state
    from program.models import Enrollment
    from tracker.models import Team, TeamBoardLink
    from tracker.rules import add_months
    from tracker.selectors import current_month

    leader = User.objects.get(email=leader_email)
    program = Enrollment.objects.filter(user=leader).order_by("pk").first().program.specific
    lesson = program_state(user=leader, program=program).continue_lesson
    pages = [
        ("lesson page", leader_email, lesson.url, "lesson"),
        ("program page", leader_email, program.url, "leader"),
        ("learner dashboard", leader_email, reverse("accounts:dashboard"), "leader"),
        ("search", leader_email, "/search/?q=team", "leader"),
        ("reflections", leader_email, reverse("lessons:my_reflections"), "leader"),
        ("profile", leader_email, reverse("accounts:profile"), "leader"),
        ("anonymous home", None, "/", "anonymous"),
        ("anonymous program sales page", None, program.url, "anonymous"),
        ("credential check", None, reverse("certificates:check"), "public"),
        ("coach: webinar funnel", coach_email, reverse("lessons:funnel"), "coach"),
        ("coach: learner page", coach_email, reverse("program_report_learner", args=[program.pk, leader.pk]), "coach"),
        ("coach: admin dashboard (what changed)", coach_email, reverse("wagtailadmin_home"), "coach"),
        ("coach: shared reflections", coach_email, reverse("shared_reflections"), "coach"),
        ("coach: monthly rhythm console", coach_email, reverse("tracker:coach_console"), "coach"),
        ("coach: page per leader", coach_email, reverse("tracker:coach_leader", args=[leader.pk]), "coach"),
    ]
    team = Team.objects.filter(leader=leader).order_by("pk").first()
    if team is None:
        return pages
    month = current_month()
    last = add_months(month, -1)

    def at(name: str, *args) -> str:
        return reverse(f"tracker:{name}", args=[team.pk, *args])

    pages += [
        ("tracker team dashboard", leader_email, at("team"), "leader"),
        ("tracker targets", leader_email, at("targets", month), "leader"),
        ("tracker results grid", leader_email, at("results", month), "leader"),
        ("tracker rankings", leader_email, at("rankings", last), "leader"),
        ("tracker 1:1s", leader_email, at("reviews", month), "leader"),
        ("tracker value history", leader_email, at("history", month), "leader"),
        ("tracker remind only those", leader_email, at("rhythm_waiting", month), "leader"),
        ("tracker sharing", leader_email, at("share", last), "leader"),
        ("tracker rankings, year to date", leader_email, at("rankings", last) + "?period=ytd", "leader"),
        ("tracker annual targets", leader_email, at("annual_targets"), "leader"),
    ]
    member = team.members.filter(active=True).order_by("pk").first()
    if member is not None:
        pages.append(("tracker 1:1 agenda", leader_email, at("one_on_one", month, member.pk), "leader"))
        pages.append(("tracker one member at a time", leader_email, at("results_card", month, member.pk), "leader"))
    link = TeamBoardLink.objects.filter(team=team, revoked_at=None, expires_at__gt=_now()).first()
    if link is None:
        link = TeamBoardLink.objects.create(team=team, expires_at=_now() + datetime.timedelta(days=30))
    pages.append(("office board link", None, reverse("tracker:board", args=[link.key]), "public"))
    return pages


def _now():
    from django.utils import timezone

    return timezone.now()
