"""More of everything the coach's reports count: learners, enrollments, lesson results, quiz
answers, shared reflections, certificates, webinar registrations, newsletter subscribers, tracker
results and pages (a second program with its modules and lessons)."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from tests.factories import UserFactory
from tests.lessons.factories import enrol, make_course
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.rules import add_months, month_start

_serial = itertools.count()


def grow(world, home, *, learners: int = 6) -> None:
    from home.newsletter.models import NewsletterSubscriber
    from lessons.models import LessonProgress, ReflectionAnswer, ReflectionSharing
    from program.certificates.services import certificate_issue
    from program.models import ProgramPage
    from program.webinars.models import WebinarRegistration, WebinarSession
    from tracker import services

    program = ProgramPage.objects.get(pk=world.args["program_id"])
    lessons = _lessons_of(program)
    other, _, more_lessons = make_course(home, modules=2, lessons=3, slug=f"grown-{next(_serial)}")
    session = WebinarSession.objects.order_by("pk").first()
    now = timezone.now()
    last = add_months(month_start(timezone.localdate()), -1)
    for i in range(learners):
        n = next(_serial)
        user = UserFactory(email=f"grown{n}@example.com", share_consistency_with_coach=True)
        for course, course_lessons in ((program, lessons), (other, more_lessons)):
            enrollment = enrol(user, course)
            for lesson in course_lessons[: 1 + i % len(course_lessons)]:
                LessonProgress.objects.create(user=user, lesson=lesson, program=course, completed_at=now)
        certificate_issue(enrollment=enrollment, notify=False)
        ReflectionSharing.objects.create(user=user, share_with_coach=True)
        ReflectionAnswer.objects.create(user=user, lesson=lessons[0], block_id="b1", prompt="?", answer="A")
        if session is not None:
            WebinarRegistration.objects.create(
                session=session, email=f"r{n}@example.com", name="R", status="registered"
            )
        NewsletterSubscriber.objects.create(email=f"n{n}@example.com", status="confirmed", confirmed_at=now)
        leader = TrackerUserFactory(email=f"grown.leader{n}@example.com", share_consistency_with_coach=True)
        enrol(leader, program)
        team = TeamFactory(leader=leader, name=f"Team {n}")
        metric = MetricFactory(team=team, name="Sales")
        member = MemberFactory(team=team, name=f"M {n}", start_date=datetime.date(2024, 1, 1))
        services.month_values_save(
            team=team, month=last, kind="results", values={(member.pk, metric.pk): Decimal(10 + i)}
        )


def _lessons_of(program):
    from lessons.models import LessonPage

    return list(LessonPage.objects.descendant_of(program).order_by("path"))
