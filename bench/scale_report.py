"""The performance report at scale (docs/performance.md): `.venv/bin/python bench/scale_report.py`.

Against the database in DATABASE_URL (a throwaway PostgreSQL one, migrated and seeded with
`seed_demo`; REDIS_URL for the cache, as production), it adds once (idempotent, marked by its
users' `@scale.invalid` addresses): SCALE_LEADERS (500) enrolled leaders with lesson progress
spread over the program, and SCALE_TEAMS (10) of them with a team of SCALE_MEMBERS (200) members,
SCALE_MONTHS (12) months of targets and results in 6 metrics (tracker.bulk_sample.build_team).
Then it times the key pages in process (Django's test client, no network; the first request of
each is a warm-up) and prints one Markdown table: p50/p95 ms over SCALE_REPEAT (10) requests and
the number of SQL queries of one request.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "False")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

LEADERS = int(os.environ.get("SCALE_LEADERS", 500))
TEAMS = int(os.environ.get("SCALE_TEAMS", 10))
MEMBERS = int(os.environ.get("SCALE_MEMBERS", 200))
MONTHS = int(os.environ.get("SCALE_MONTHS", 12))
REPEAT = int(os.environ.get("SCALE_REPEAT", 10))


def seed() -> None:
    from accounts.models import User
    from lessons.models import LessonPage, LessonProgress
    from program.models import Enrollment, ProgramPage
    from tracker.bulk_sample import build_team
    from tracker.models import Team, TrackerAccess

    program = ProgramPage.objects.live().first()
    lessons = list(LessonPage.objects.live().descendant_of(program).order_by("path"))
    have = User.objects.filter(email__endswith="@scale.invalid").count()
    rng = random.Random(20)
    started = time.perf_counter()
    with transaction.atomic():
        new = User.objects.bulk_create(
            [
                User(email=f"leader{i:04d}@scale.invalid", full_name=f"Scale Leader {i:04d}", password="!")
                for i in range(have, LEADERS)
            ]
        )
        Enrollment.objects.bulk_create([Enrollment(user=u, program=program, source="manual") for u in new])
        progress = []
        for user in new:
            done = rng.randint(0, len(lessons))
            progress += [
                LessonProgress(user=user, lesson=lesson, program=program, completed_at=django.utils.timezone.now())
                for lesson in lessons[:done]
            ]
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
    leaders = list(User.objects.filter(email__endswith="@scale.invalid").order_by("email")[:TEAMS])
    for leader in leaders:
        if not Team.objects.filter(leader=leader).exists():
            TrackerAccess.objects.get_or_create(user=leader)
            with transaction.atomic():
                build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=6)
    print(f"seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(name: str, client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (name, url, response.status_code)
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    samples.sort()
    return {
        "page": name,
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
        "queries": len(queries),
    }


def main() -> None:
    from accounts.models import User
    from lessons.models import LessonPage, LessonProgress
    from program.models import Enrollment, ProgramPage
    from tracker.models import Result, Team
    from tracker.rules import add_months
    from tracker.selectors import current_month

    setup_test_environment()
    seed()
    leader = User.objects.filter(email__endswith="@scale.invalid").order_by("email").first()
    team = Team.objects.filter(leader=leader).first()
    program = ProgramPage.objects.live().first()
    lesson = LessonPage.objects.live().descendant_of(program).order_by("path")[3]
    coach = User.objects.get(email="coach@huddle.test")
    month = add_months(current_month(), -1)

    anonymous, as_leader, as_coach = Client(), Client(), Client()
    as_leader.force_login(leader)
    as_coach.force_login(coach)
    rows = [
        measure("home page, anonymous (page cache)", anonymous, "/"),
        measure("program sales page, anonymous", anonymous, program.url),
        measure("leader's dashboard", as_leader, reverse("accounts:dashboard")),
        measure("lesson page, enrolled leader", as_leader, lesson.url),
        measure(f"tracker team dashboard ({MEMBERS} members)", as_leader, reverse("tracker:team", args=[team.pk])),
        measure(f"tracker rankings ({MEMBERS} members)", as_leader, reverse("tracker:rankings", args=[team.pk, month])),
        measure(f"tracker results grid ({MEMBERS} members)", as_leader, reverse("tracker:results", args=[team.pk, current_month()])),
        measure(f"coach: program report, learners ({LEADERS}+ leaders)", as_coach, reverse("program_report_learners", args=[program.pk])),
    ]  # fmt: skip
    print(
        f"\nData: {User.objects.count()} users, {Enrollment.objects.count()} enrollments, "
        f"{LessonProgress.objects.count()} lesson progress rows, {Team.objects.count()} teams, "
        f"{Result.objects.count()} results. {REPEAT} requests a page, in process.\n"
    )
    print("| page | p50 ms | p95 ms | queries |\n| --- | ---: | ---: | ---: |")
    for row in rows:
        print(f"| {row['page']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['queries']} |")


if __name__ == "__main__":
    main()
