"""Modules and lessons (Wagtail pages) and what each leader does with them (plain models)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from home.core.caching.routing import CachedViewRestrictionsMixin, view_restrictions
from program.learner_data import LearnerQuerySet

from .blocks import LessonStreamBlock


class ModulePage(CachedViewRestrictionsMixin, Page):
    """One step of a program. Order is the page-tree order; drip rules lock it per leader."""

    class Drip(models.TextChoices):
        NONE = "none", "Open as soon as the leader enrols"
        DAYS = "days", "Open N days after enrollment"
        PREVIOUS = "previous", "Open when the previous module is complete"

    summary = models.TextField(blank=True, help_text="Two or three sentences: what this step changes.")
    drip = models.CharField(max_length=10, choices=Drip.choices, default=Drip.NONE)
    drip_days = models.PositiveSmallIntegerField(default=0, help_text="Used with 'N days after enrollment'.")

    search_fields = Page.search_fields + [index.SearchField("summary")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("drip"), FieldPanel("drip_days")], "Drip (when it opens)"),
    ]

    parent_page_types = ["program.ProgramPage"]
    subpage_types = ["lessons.LessonPage"]

    class Meta:
        verbose_name = "module page"

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_page_context(request=request, module=self))
        return context


class LessonPage(Page):
    """One lesson. The body is shown only to enrolled leaders (or to anyone for free previews)."""

    summary = models.TextField(blank=True, help_text="Shown to everyone, including visitors who are not enrolled.")
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    required = models.BooleanField("required for completion", default=True)
    free_preview = models.BooleanField(default=False, help_text="Anyone may read this lesson.")
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent of knowledge-check questions to get right to complete the lesson.",
    )
    body = StreamField(LessonStreamBlock(), blank=True, use_json_field=True)

    # The body is deliberately NOT indexed: paid content must never surface in search results.
    search_fields = Page.search_fields + [index.SearchField("summary")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("required"),
                FieldPanel("free_preview"),
                FieldPanel("pass_mark"),
            ],
            "Lesson settings",
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["lessons.ModulePage"]
    subpage_types: list[str] = []
    # home.core.caching.routing may serve a kept copy; the lesson view checks "still live here" in its own query.
    checks_route_while_serving = True

    class Meta:
        verbose_name = "lesson page"

    def frozen_extras(self) -> dict:
        """Kept along with a frozen copy of this page (home.core.caching.frozen): the body's hash."""
        from .body_cache import body_digest

        return {"_huddle_body_digest": body_digest(self)}

    def get_sitemap_urls(self, request=None):
        # Paid lessons stay out of the sitemap; free previews are public pages.
        return super().get_sitemap_urls(request) if self.free_preview else []

    def get_view_restrictions(self):
        # None at all while no restricted page is above this one (home/core/caching/routing.py's cached summary).
        return view_restrictions(self, self._ancestor_restrictions)

    def _ancestor_restrictions(self):
        # One query instead of two: ancestor paths come from this page's tree path. Aliased
        # ancestors are resolved inside the same query.
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
        return PageViewRestriction.objects.filter(models.Q(page__path__in=paths) | models.Q(page_id__in=aliased))

    def serve(self, request, *args, **kwargs):
        from .views import serve_lesson

        return serve_lesson(request, self)

    def serve_preview(self, request, mode_name):
        from .views import serve_lesson

        return serve_lesson(request, self, preview=True)

    @property
    def knowledge_checks(self):
        return [block for block in self.body if block.block_type == "knowledge_check"]

    def document_ids(self) -> set[int]:
        """Ids of every Wagtail document the body links to (worksheets, uploaded videos, captions)."""
        ids = set()
        for block in self.body:
            if block.block_type in ("worksheet", "video"):
                doc = block.value.get("document") if block.block_type == "worksheet" else block.value.get("file")
                if doc is not None:
                    ids.add(doc.pk)
                if block.block_type == "video" and block.value.get("captions") is not None:
                    ids.add(block.value["captions"].pk)  # captions of a paid video are paid too
        return ids

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields or "free_preview" in update_fields:
            LessonDocument.sync(self)
        if update_fields is None or "body" in update_fields:
            LessonSearchText.sync(self)
        return result

    def body_text(self) -> str:
        """The body as plain text (what its blocks offer to a search index)."""
        return " ".join(part for part in self.body.stream_block.get_searchable_content(self.body) if part)


class LessonSearchText(index.Indexed, models.Model):
    """A lesson's body as plain text, indexed apart from the page.

    The page index holds only titles and summaries, so no search over pages can match paid text.
    This index is searched only with an explicit filter to the lessons one leader may read
    (`lessons.selectors.search`), and its text gives those readers their snippets."""

    lesson = models.OneToOneField(LessonPage, on_delete=models.CASCADE, primary_key=True, related_name="search_text")
    text = models.TextField(blank=True)

    search_fields = [index.SearchField("text"), index.FilterField("lesson_id")]

    def __str__(self) -> str:
        return f"search text of lesson {self.lesson_id}"

    @classmethod
    def sync(cls, lesson: LessonPage) -> None:
        cls.objects.update_or_create(lesson=lesson, defaults={"text": lesson.body_text()})


class LessonDocument(models.Model):
    """Which documents a lesson's live body uses; kept in step on save. Lets the document
    server refuse paid worksheets to leaders who are not enrolled."""

    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "document"], name="one_link_per_lesson_document")]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} uses document {self.document_id}"

    @classmethod
    def sync(cls, lesson: LessonPage) -> None:
        wanted = lesson.document_ids()
        cls.objects.filter(lesson=lesson).exclude(document_id__in=wanted).delete()
        existing = set(cls.objects.filter(lesson=lesson).values_list("document_id", flat=True))
        cls.objects.bulk_create([cls(lesson=lesson, document_id=pk) for pk in wanted - existing])


class ModuleUnlock(models.Model):
    """The coach opens a dripped module early: for one leader, or for everyone (no user)."""

    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="unlocks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="module_unlocks",
        help_text="Leave empty to open the module for everyone.",
    )
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="one_unlock_per_module_user"),
            models.UniqueConstraint(
                fields=["module"], condition=models.Q(user__isnull=True), name="one_unlock_per_module_everyone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} for {self.user or 'everyone'}"


class LessonProgress(models.Model):
    """One leader's history with one lesson. Rows stay when a lesson is unpublished or moved;
    the progress maths only counts live, required lessons."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    program = models.ForeignKey("program.ProgramPage", on_delete=models.CASCADE, related_name="lesson_progress")
    first_opened_at = models.DateTimeField(default=timezone.now)
    last_opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_user_lesson")]
        indexes = [models.Index(fields=["program", "user"]), models.Index(fields=["user", "-last_opened_at"])]
        verbose_name_plural = "lesson progress"

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson_id}"


class QuizAttempt(models.Model):
    """One submission of a lesson's knowledge checks. `answers` maps question key to
    {"chosen": [option indexes], "correct": bool} so reports can show which questions people miss."""

    # Kept without the person when the account is deleted: the anonymous quiz statistics count it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts")
    program = models.ForeignKey("program.ProgramPage", on_delete=models.CASCADE, related_name="quiz_attempts")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    passed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "lesson"])]

    def __str__(self) -> str:
        return f"{self.user} · lesson {self.lesson_id} · {self.score} %"


class ReflectionAnswer(models.Model):
    """A leader's private written answer to one reflection prompt."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="reflections")
    block_id = models.CharField(max_length=64)
    prompt = models.TextField(help_text="The prompt as it read when answered.")
    answer = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="one_reflection_per_prompt")]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.prompt[:40]}"


class ReflectionSharing(models.Model):
    """The leader's choice to let the coach read their reflection answers (private unless shared)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reflection_sharing"
    )
    share_with_coach = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} shares reflections: {self.share_with_coach}"


class Commitment(models.Model):
    """'I will do this with my team this week': from an apply-it block, checked off later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="commitments")
    block_id = models.CharField(max_length=64)
    action = models.TextField()
    tracker_step = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="one_commitment_per_block")]
        indexes = [models.Index(fields=["user", "done_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.action[:40]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ModuleOpenNotice(models.Model):
    """ "Step N is open" was emailed to this leader: claimed (inserted) before sending, so never twice."""

    class Reason(models.TextChoices):
        DRIP = "drip", "Opened on its date"
        COACH = "coach", "Unlocked by the coach"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_open_notices")
    module = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="open_notices")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="one_open_notice_per_user_module")]

    def __str__(self) -> str:
        return f"{self.module_id} open, told {self.user_id} ({self.reason})"


class Nudge(models.Model):
    """A note emailed to one leader, kept as a log: the coach's own words from the learner page or
    the stuck list, or an automatic reminder (the tracker's "a step slipped").

    `reason` says why, in a short key (`COACH`, `STUCK`, or the caller's own such as
    "step_slipped"); `occasion`, when given, makes the nudge once-only per leader and reason (a
    scheduled sender names the month or step, and a second run sends nothing)."""

    COACH = "coach"
    STUCK = "stuck"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges_received")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nudges_sent",
        help_text="Empty for automatic nudges.",
    )
    reason = models.CharField(max_length=40, default=COACH)
    occasion = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    link = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the email was queued (committed together with this row)."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["learner", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "reason", "occasion"],
                condition=~models.Q(occasion=""),
                name="one_nudge_per_learner_reason_occasion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} nudge to {self.learner_id}: {self.subject[:40]}"


class DashboardSeen(models.Model):
    """Up to when the coach has seen "What changed since you last looked" on the admin dashboard."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_seen"
    )
    seen_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} has seen changes until {self.seen_until:%Y-%m-%d %H:%M}"
