from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.core.caching.routing import CachedViewRestrictionsMixin, RegisteredSubRoutesMixin

from .learner_data import LearnerQuerySet


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        description = "One question and its answer."
        preview_value = {"question": "How long does it take?", "answer": "<p>About an hour a week.</p>"}


class ProgramPage(RegisteredSubRoutesMixin, CachedViewRestrictionsMixin, Page):
    """The sales page and home of one program; its children are the modules (steps).

    Its template composes the apps: the lessons app's template tags add the learner's progress and
    the outline, the payments app's the call to enrol. The lessons app also registers the direct
    route to a lesson (/<program>/<module>/<lesson>/) in its AppConfig.ready()."""

    promise = models.CharField(max_length=255, help_text="One sentence: what a leader gets.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    who_for = RichTextField("who it is for", blank=True, features=["bold", "italic", "link", "ul"])
    outcomes = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    whats_included = RichTextField("what's included", blank=True, features=["bold", "italic", "link", "ul"])
    instructor_bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    faq = StreamField([("faq", FaqBlock())], blank=True, use_json_field=True)
    price = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, default="USD", help_text="ISO code, e.g. USD")
    stripe_price_id = models.CharField(max_length=100, blank=True, help_text="Stripe Price id (price_…)")
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0.0"))

    search_fields = Page.search_fields + [
        index.SearchField("promise"),
        index.SearchField("who_for"),
        index.SearchField("outcomes"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("promise"),
        FieldPanel("hero_image"),
        FieldPanel("who_for"),
        FieldPanel("outcomes"),
        FieldPanel("whats_included"),
        FieldPanel("instructor_bio"),
        FieldPanel("faq"),
        MultiFieldPanel(
            [FieldPanel("price"), FieldPanel("currency"), FieldPanel("stripe_price_id"), FieldPanel("estimated_hours")],
            "Price and length",
        ),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["lessons.ModulePage"]

    class Meta:
        verbose_name = "program page"


class Enrollment(models.Model):
    """A leader's seat in one program. Rows are never deleted: revoking keeps progress."""

    class Source(models.TextChoices):
        STRIPE = "stripe", "Stripe purchase"
        SEAT = "seat", "Company seat"
        MANUAL = "manual", "Manual grant"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    program = models.ForeignKey(ProgramPage, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=10, choices=Source.choices)
    reason = models.CharField(max_length=255, blank=True, help_text="Why, for manual grants and revocations.")
    enrolled_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When every required lesson was done.")
    objects = LearnerQuerySet.as_manager()  # bulk writes move the leaders' counters (program.learner_data)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "program"], name="one_enrollment_per_program")]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.program}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class EnrollmentEvent(models.Model):
    """Audit trail: every grant, revocation and completion of an enrollment."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    source = models.CharField(max_length=10, choices=Enrollment.Source.choices, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d})"


ACTIVE_ENROLLMENT = Q(status=Enrollment.Status.ACTIVE)
