"""Which knowledge-check questions leaders miss, and the wrong answer they choose most (2 queries)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from program.models import ProgramPage

from ..models import LessonPage, QuizAttempt
from .export import to_csv


@dataclass
class QuestionRow:
    lesson: LessonPage
    question: str
    attempts: int
    correct: int
    common_wrong: str

    @property
    def missed(self) -> int:
        return self.attempts - self.correct

    @property
    def miss_rate(self) -> int:
        return round(self.missed * 100 / self.attempts) if self.attempts else 0


def quiz_report(*, program: ProgramPage) -> list[QuestionRow]:
    """Per knowledge-check question: attempts, right answers, the most chosen wrong option.
    Most-missed first (2 queries)."""
    lessons = list(LessonPage.objects.live().descendant_of(program).order_by("path"))
    tallies: dict[str, dict] = defaultdict(lambda: {"attempts": 0, "correct": 0, "wrong": Counter()})
    for answers in QuizAttempt.objects.filter(program=program).values_list("answers", flat=True):
        for key, result in (answers or {}).items():
            tally = tallies[key]
            tally["attempts"] += 1
            if result.get("correct"):
                tally["correct"] += 1
            else:
                tally["wrong"].update(result.get("chosen") or [])
    rows = []
    for lesson in lessons:
        for block in lesson.knowledge_checks:
            for index, question in enumerate(block.value["questions"]):
                tally = tallies.get(f"{block.id}-{index}")
                if not tally:
                    rows.append(QuestionRow(lesson, question["question"], 0, 0, ""))
                    continue
                options = list(question["options"])
                wrong = ""
                for option_index, _count in tally["wrong"].most_common():
                    if option_index < len(options) and not options[option_index]["correct"]:
                        wrong = options[option_index]["text"]
                        break
                rows.append(QuestionRow(lesson, question["question"], tally["attempts"], tally["correct"], wrong))
    rows.sort(key=lambda r: (-r.miss_rate, r.lesson.path))
    return rows


def quiz_csv(rows: list[QuestionRow]) -> str:
    header = ["Lesson", "Question", "Attempts", "Correct", "Missed", "Miss rate %", "Most chosen wrong answer"]
    return to_csv(
        header,
        [[r.lesson.title, r.question, r.attempts, r.correct, r.missed, r.miss_rate, r.common_wrong] for r in rows],
    )
