"""factory_boy factories for programs, modules and lessons (Wagtail pages, added to the page tree
under `parent`), with the short builders the tests use: `make_course` for a whole program, and
`enrol` (the enrollment service, so its events and side effects happen as in the site)."""

from decimal import Decimal

import factory
from wagtail.documents import get_document_model

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


class PageFactory(factory.django.DjangoModelFactory):
    """A Wagtail page: added as a child of `parent` (the page tree needs add_child, not save)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page


def _slug(page) -> str:
    return page.title.lower().replace(" ", "-")


class ProgramPageFactory(PageFactory):
    """A published program (a first revision, as the coach publishing it in the admin)."""

    class Meta:
        model = ProgramPage

    title = "9 Steps"
    slug = "program"
    promise = "Lead a team that delivers."
    price = Decimal("497.00")

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create:
            obj.save_revision().publish()


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = "Module"
    slug = factory.LazyAttribute(_slug)
    summary = factory.LazyAttribute(lambda module: f"About {module.title}")
    drip = ModulePage.Drip.NONE
    drip_days = 0
    live = True


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = "Lesson"
    slug = factory.LazyAttribute(_slug)
    summary = factory.LazyAttribute(lambda lesson: f"Summary of {lesson.title}")
    body = factory.LazyAttribute(lambda lesson: [("text", f"<p>SECRET body of {lesson.title}</p>")])
    required = True
    free_preview = False
    live = True
    pass_mark = 80


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document: a worksheet PDF."""

    class Meta:
        model = get_document_model()

    title = "Worksheet"
    file = factory.django.FileField(filename="sheet.pdf", data=b"%PDF-1.4 worksheet")


def make_program(home, **fields) -> ProgramPage:
    return ProgramPageFactory(parent=home, **fields)


def make_module(program, **fields) -> ModulePage:
    return ModulePageFactory(parent=program, **fields)


def make_lesson(module, **fields) -> LessonPage:
    return LessonPageFactory(parent=module, **fields)


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
