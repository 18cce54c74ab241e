"""Fill the lesson text index once after upgrading (new lessons keep it in step on publish)."""

from django.core.management.base import BaseCommand

from home.core.caching.versions import PAGES_VERSION_KEY, bump_versions
from lessons.models import LessonPage, LessonSearchText


class Command(BaseCommand):
    help = "Write every lesson's live body as plain text into the lesson search index (idempotent)."

    def handle(self, *args, **options):
        count = 0
        for lesson in LessonPage.objects.all().iterator():
            LessonSearchText.sync(lesson)  # post_save indexes it
            count += 1
        bump_versions(PAGES_VERSION_KEY)  # the cached search matches (lessons.selectors.search) carry it
        self.stdout.write(f"Indexed the text of {count} lessons.")
