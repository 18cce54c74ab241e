"""Demo modules and lessons for the demo program, worksheets as PDFs, and two demo leaders'
progress: leader@ part-way through, graduate@ finished (completion recorded). Idempotent."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from accounts.models import User
from home.core.pdf import render_pdf
from program.demo import get_program
from program.models import Enrollment
from program.services import enrollment_grant

from ..models import Commitment, LessonPage, LessonProgress, ModulePage, ReflectionAnswer
from ..services import program_completion_record
from .content import MODULES as FIRST_MODULES
from .content_method import METHOD_MODULES, WORKSHEETS

MODULES = FIRST_MODULES + METHOD_MODULES


def _worksheet(key: str, program_title: str):
    Document = get_document_model()
    sheet = WORKSHEETS[key]
    document = Document.objects.filter(title=sheet["title"]).first()
    if document is None:
        pdf = render_pdf(
            template="lessons/pdf/worksheet.html",
            context={"sheet": sheet, "rows": range(sheet["rows"]), "program_title": program_title},
        )
        document = Document(title=sheet["title"])
        document.file.save(f"{key}-worksheet.pdf", ContentFile(pdf), save=False)
        document.save()
    return document


def _body(data: dict, program_title: str) -> list:
    body = [("text", "".join(f"<p>{p}</p>" for p in data["text"]))]
    if data.get("quote"):
        body.append(("quote", {"quote": data["quote"][0], "attribution": data["quote"][1]}))
    if data.get("takeaway"):
        body.append(("callout", {"kind": "takeaway", "text": f"<p>{data['takeaway']}</p>"}))
    if data.get("worksheet"):
        document = _worksheet(data["worksheet"], program_title)
        sheet = WORKSHEETS[data["worksheet"]]
        body.append(("worksheet", {"document": document, "title": sheet["title"], "description": sheet["intro"]}))
    if data.get("reflection"):
        body.append(("reflection", {"prompt": data["reflection"]}))
    if data.get("apply"):
        action, step = data["apply"]
        body.append(("apply_it", {"action": action, "tracker_step": str(step)}))
    if data.get("quiz"):
        body.append(("knowledge_check", {"heading": "Check your understanding", "questions": data["quiz"]}))
    return body


def _build_pages(program, log) -> None:
    for module_data in MODULES:
        module = ModulePage.objects.child_of(program).filter(slug=module_data["slug"]).first()
        if module is None:
            module = ModulePage(slug=module_data["slug"], title=module_data["title"], summary=module_data["summary"])
            program.add_child(instance=module)
            module.save_revision().publish()
            log(f"module {module.title}")
        for data in module_data["lessons"]:
            if LessonPage.objects.child_of(module).filter(slug=data["slug"]).exists():
                continue
            minutes = 5 + 3 * len(data["text"]) + (5 if data.get("quiz") else 0)
            lesson = LessonPage(
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                estimated_minutes=minutes,
                required=data.get("required", True),
                free_preview=data.get("free_preview", False),
                body=_body(data, program.title),
            )
            module.add_child(instance=lesson)
            lesson.save_revision().publish()


def _progress(user, program, lessons, *, days_ago_start: int) -> None:
    start = timezone.now() - timedelta(days=days_ago_start)
    for offset, lesson in enumerate(lessons):
        at = start + timedelta(days=offset * 0.7)
        LessonProgress.objects.get_or_create(
            user=user,
            lesson=lesson,
            defaults={
                "program": program,
                "first_opened_at": at,
                "last_opened_at": at,
                "completed_at": at,
                "attempts": 1 if lesson.knowledge_checks else 0,
                "best_score": 100 if lesson.knowledge_checks else None,
            },
        )


def _demo_user(email: str):
    return User.objects.filter(email=email).first()


# The demo leader's private answers, one per reflection prompt (by lesson slug).
DEMO_ANSWERS = {
    "why-the-best-seller-struggles": "The Hendricks contract. Dana would have learned to ask about the move-in "
    "date before talking upgrades. I took over the call instead; next time I sit beside her and stay quiet.",
    "hire-for-habits": "My top three all log their follow-ups the same evening, without being asked. I have never "
    "once asked a candidate how they keep track of the people they promised to call back.",
    "what-good-looks-like": "Four contracts, every walk-through followed up within a day, and a customer rating "
    "above 4.5. Honestly, I have never written that down for anyone, so each new hire guesses.",
    "publish": "They would say results show up when I remember, usually in the middle of the month, and only the "
    "top two get mentioned. The rest of the team finds out where they stand from the commission statement.",
}


def seed(*, log) -> None:
    program = get_program()
    if program is None:
        return
    _build_pages(program, log)
    lessons = list(LessonPage.objects.live().descendant_of(program).order_by("path"))
    required = [lesson for lesson in lessons if lesson.required]

    leader = _demo_user("leader@huddle.test")
    if leader is not None:
        enrollment = enrollment_grant(
            user=leader, program=program, source=Enrollment.Source.MANUAL, reason="Demo leader"
        )
        if enrollment.enrolled_at > timezone.now() - timedelta(days=1):
            Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=timezone.now() - timedelta(days=21))
        done = required[:9]  # modules 1-3 and the first step of the accountability module
        _progress(leader, program, done, days_ago_start=9)
        opened = required[9]
        LessonProgress.objects.get_or_create(user=leader, lesson=opened, defaults={"program": program})
        for lesson in done + [opened]:
            for block in lesson.body:
                if block.block_type == "reflection":
                    ReflectionAnswer.objects.get_or_create(
                        user=leader,
                        lesson=lesson,
                        block_id=block.id,
                        defaults={
                            "prompt": block.value["prompt"],
                            "answer": DEMO_ANSWERS.get(lesson.slug, DEMO_ANSWERS["why-the-best-seller-struggles"]),
                        },
                    )
                if block.block_type == "apply_it":
                    Commitment.objects.get_or_create(
                        user=leader,
                        lesson=lesson,
                        block_id=block.id,
                        defaults={"action": block.value["action"], "tracker_step": int(block.value["tracker_step"])},
                    )

    graduate = _demo_user("graduate@huddle.test")
    if graduate is not None:
        enrollment = enrollment_grant(
            user=graduate, program=program, source=Enrollment.Source.MANUAL, reason="Demo graduate"
        )
        if enrollment.completed_at is None:
            Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=timezone.now() - timedelta(days=60))
            _progress(graduate, program, lessons, days_ago_start=55)
            program_completion_record(user=graduate, program=program)
            log("graduate@huddle.test finished the program")
