"""Keep the cached program outlines and lesson bodies honest: any change to a program, module or
lesson page (save, publish, unpublish, move, delete) moves the structure version, now and again
when the transaction commits (so a reader that raced the change cannot keep an old copy)."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.core.caching.versions import PROGRAMS_VERSION_KEY, bump_versions
from program import learner_data
from program.certificates.models import Certificate
from program.models import ProgramPage

from .models import Commitment, LessonPage, LessonProgress, ModulePage, ModuleUnlock, QuizAttempt, ReflectionAnswer
from .selectors import STRUCTURE_VERSION_KEY


def _bump(instance=None, **kwargs) -> None:
    keys = [STRUCTURE_VERSION_KEY]
    if isinstance(instance, ProgramPage) or type(instance) is Page:
        keys.append(PROGRAMS_VERSION_KEY)  # the program pages kept per process
    bump_versions(*keys)


def _is_course_page(instance) -> bool:
    return isinstance(instance, ProgramPage | ModulePage | LessonPage) or type(instance) is Page


def connect() -> None:
    # Each leader's learning rows: the counters their cached lesson page body is keyed on.
    for model in (LessonProgress, QuizAttempt, ReflectionAnswer, Commitment, ModuleUnlock, Certificate):
        learner_data.connect(model)
    for signal in (page_published, page_unpublished):
        signal.connect(_bump, dispatch_uid=f"lessons-structure-{id(signal)}")
    post_page_move.connect(_bump, dispatch_uid="lessons-structure-move")

    def _saved_or_deleted(sender, instance, **kwargs):
        if _is_course_page(instance):
            _bump(instance=instance)

    post_save.connect(_saved_or_deleted, weak=False, dispatch_uid="lessons-structure-save")
    post_delete.connect(_saved_or_deleted, weak=False, dispatch_uid="lessons-structure-delete")
