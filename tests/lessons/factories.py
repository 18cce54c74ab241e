"""Builders for programs, modules and lessons (through the Wagtail page API) and enrollments."""

from decimal import Decimal

from lessons.models import LessonPage, ModulePage
from program.models import Enrollment, ProgramPage
from program.services import enrollment_grant

QUIZ_BODY = [
    ("text", "<p>Publish results on time, every time.</p>"),
    (
        "knowledge_check",
        {
            "heading": "Check your understanding",
            "questions": [
                {
                    "question": "When do quotas reach each rep?",
                    "options": [{"text": "On the first", "correct": True}, {"text": "Whenever", "correct": False}],
                    "explanation": "On the first, so nobody loses a week.",
                },
                {
                    "question": "Which are accountability steps?",
                    "options": [
                        {"text": "Publish", "correct": True},
                        {"text": "Celebrate", "correct": True},
                        {"text": "Close deals for reps", "correct": False},
                    ],
                    "explanation": "Publish and celebrate are two of the five.",
                },
            ],
        },
    ),
    ("reflection", {"prompt": "Who on your team needs a conversation this week?"}),
    ("apply_it", {"action": "Send every rep their number on the first.", "tracker_step": "1"}),
]


def make_program(home, *, slug="program", title="9 Steps", price="497.00") -> ProgramPage:
    program = ProgramPage(title=title, slug=slug, promise="Lead a team that delivers.", price=Decimal(price))
    home.add_child(instance=program)
    program.save_revision().publish()
    return program


def make_module(program, *, title="Module", slug=None, drip=ModulePage.Drip.NONE, drip_days=0, live=True):
    module = ModulePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=f"About {title}",
        drip=drip,
        drip_days=drip_days,
        live=live,
    )
    program.add_child(instance=module)
    return module


def make_lesson(
    module, *, title="Lesson", slug=None, body=None, required=True, free_preview=False, live=True, pass_mark=80
):
    lesson = LessonPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=f"Summary of {title}",
        body=body if body is not None else [("text", f"<p>SECRET body of {title}</p>")],
        required=required,
        free_preview=free_preview,
        live=live,
        pass_mark=pass_mark,
    )
    module.add_child(instance=lesson)
    return lesson


def make_course(home, *, modules=2, lessons=3, slug="program"):
    """A program with `modules` x `lessons`; returns (program, [module], [lesson])."""
    program = make_program(home, slug=slug)
    all_modules, all_lessons = [], []
    for m in range(modules):
        module = make_module(program, title=f"Module {m + 1}", slug=f"m{m + 1}")
        all_modules.append(module)
        for n in range(lessons):
            all_lessons.append(make_lesson(module, title=f"Lesson {m + 1}.{n + 1}", slug=f"l{n + 1}"))
    return program, all_modules, all_lessons


def enrol(user, program) -> Enrollment:
    return enrollment_grant(user=user, program=program, source=Enrollment.Source.MANUAL, reason="test")
