"""Issue 20's data set, added to a database seeded with `seed_demo` (idempotent; its users end in
`@scale.invalid`, its subscribers in `@subscribers.invalid`):

- SCALE_PROGRAMS (3) live programs: the demo's and copies of it (Wagtail's own recursive copy);
- SCALE_LEARNERS (5,000) learners, each enrolled in one program (round robin) with a random share
  of its lessons finished;
- SCALE_TEAMS (50) of them leaders, each with a team of SCALE_MEMBERS (20) members, SCALE_MONTHS
  (36) months of targets and results in 6 metrics (tracker.bulk_sample.build_team);
- SCALE_SUBSCRIBERS (20,000) confirmed newsletter subscribers;
- a certificate (its PDF rendered and stored) for SCALE_GRADUATES (20) of the learners who have
  finished every lesson of their program.

Used by bench/scale_report.py (locust) and bench/scale_wrk.py (wrk), both through gunicorn.
"""

from __future__ import annotations

import os
import random
import sys
import time

LEARNERS = int(os.environ.get("SCALE_LEARNERS", 5000))
PROGRAMS = int(os.environ.get("SCALE_PROGRAMS", 3))
TEAMS = int(os.environ.get("SCALE_TEAMS", 50))
MEMBERS = int(os.environ.get("SCALE_MEMBERS", 20))
MONTHS = int(os.environ.get("SCALE_MONTHS", 36))
SUBSCRIBERS = int(os.environ.get("SCALE_SUBSCRIBERS", 20000))
GRADUATES = int(os.environ.get("SCALE_GRADUATES", 20))


def programs() -> list:
    """The live programs, copying the first until there are PROGRAMS of them."""
    from program.models import ProgramPage

    live = list(ProgramPage.objects.live().order_by("path"))
    first = live[0]
    for number in range(len(live) + 1, PROGRAMS + 1):
        live.append(
            first.copy(
                recursive=True,
                update_attrs={"title": f"{first.title} ({number})", "slug": f"{first.slug}-{number}"},
                keep_live=True,
                copy_revisions=False,
                log_action=None,
            ).specific
        )
    return live[:PROGRAMS]


def learners(all_programs: list) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from lessons.models import LessonPage, LessonProgress
    from program.models import Enrollment

    have = User.objects.filter(email__endswith="@scale.invalid").count()
    if have >= LEARNERS:
        return
    lessons = {p.pk: list(LessonPage.objects.live().descendant_of(p).order_by("path")) for p in all_programs}
    rng, now = random.Random(20), timezone.now()
    for start in range(have, LEARNERS, 1000):
        with transaction.atomic():
            new = User.objects.bulk_create(
                [
                    User(email=f"learner{i:05d}@scale.invalid", full_name=f"Scale Learner {i:05d}", password="!")
                    for i in range(start, min(start + 1000, LEARNERS))
                ]
            )
            enrollments, progress = [], []
            for user in new:
                number = int(user.email[7:12])
                program = all_programs[number % len(all_programs)]
                enrollments.append(Enrollment(user=user, program=program, source="manual"))
                done = lessons[program.pk][: rng.randint(0, len(lessons[program.pk]))]
                progress += [
                    LessonProgress(user=user, lesson=lesson, program=program, completed_at=now) for lesson in done
                ]
            Enrollment.objects.bulk_create(enrollments)
            LessonProgress.objects.bulk_create(progress, batch_size=5000)


def teams() -> None:
    from django.db import transaction

    from accounts.models import User
    from tracker.bulk_sample import build_team
    from tracker.models import Team, TrackerAccess

    for leader in User.objects.filter(email__endswith="@scale.invalid").order_by("email")[:TEAMS]:
        if not Team.objects.filter(leader=leader).exists():
            TrackerAccess.objects.get_or_create(user=leader)
            with transaction.atomic():
                build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=6)


def subscribers() -> None:
    from django.utils import timezone

    from home.newsletter.models import NewsletterSubscriber

    have = NewsletterSubscriber.objects.filter(email__endswith="@subscribers.invalid").count()
    now = timezone.now()
    NewsletterSubscriber.objects.bulk_create(
        [
            NewsletterSubscriber(
                email=f"reader{i:06d}@subscribers.invalid",
                status=NewsletterSubscriber.Status.CONFIRMED,
                source="scale",
                confirmed_at=now,
            )
            for i in range(have, SUBSCRIBERS)
        ],
        batch_size=5000,
    )


def graduates(all_programs: list) -> list:
    """Learners who finished their program, each with a certificate whose PDF is stored."""
    from django.db import transaction
    from django.db.models import Count

    from lessons.models import LessonPage, LessonProgress
    from program.certificates.services import certificate_issue, certificate_pdf
    from program.models import Enrollment

    found = []
    for program in all_programs:
        lessons = LessonPage.objects.live().descendant_of(program).count()
        done = (
            LessonProgress.objects.filter(program=program, user__email__endswith="@scale.invalid")
            .values("user")
            .annotate(lessons=Count("lesson", distinct=True))
            .filter(lessons__gte=lessons)
            .order_by("user")
            .values_list("user", flat=True)
        )
        found += list(
            Enrollment.objects.filter(program=program, user__in=list(done[: GRADUATES // len(all_programs) + 1]))
        )
    certificates = []
    for enrollment in found[:GRADUATES]:
        with transaction.atomic():
            certificate = certificate_issue(enrollment=enrollment, notify=False)
        certificates.append(certificate_pdf(certificate=certificate))
    return certificates


def seed() -> dict:
    """Adds what is missing; returns the counts of what is there."""
    from accounts.models import User
    from home.newsletter.models import NewsletterSubscriber
    from lessons.models import LessonProgress
    from program.certificates.models import Certificate
    from program.models import Enrollment
    from tracker.models import Result, Team

    started = time.perf_counter()
    learners(programs())
    teams()
    subscribers()
    graduates(programs())
    print(f"scale data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {
        "users": User.objects.count(),
        "programs": len(programs()),
        "enrollments": Enrollment.objects.count(),
        "lesson progress rows": LessonProgress.objects.count(),
        "teams": Team.objects.count(),
        "results": Result.objects.count(),
        "newsletter subscribers": NewsletterSubscriber.objects.count(),
        "certificates": Certificate.objects.count(),
    }
