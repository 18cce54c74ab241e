"""Free webinars: pages the coach writes, sessions with seats, and the people who register."""

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import TIME_ZONE_CHOICES
from home.blocks import StandardStreamBlock
from home.core.caching.routing import CachedViewRestrictionsMixin
from home.core.zones import zone_or_none

from .forms import WebinarRegistrationForm


class WebinarIndexPage(CachedViewRestrictionsMixin, Page):
    """Lists upcoming webinars first, then past ones with their replays."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["webinars.WebinarPage"]
    max_count = 1

    class Meta:
        verbose_name = "webinar index page"

    def get_context(self, request, *args, **kwargs):
        from .selectors import webinar_index_data  # selectors import these models

        context = super().get_context(request, *args, **kwargs)
        context.update(webinar_index_data(index_page=self))
        return context


class WebinarPage(CachedViewRestrictionsMixin, Page):
    """One free webinar; its sessions (dates) are edited inline below the body."""

    summary = models.CharField(max_length=255, help_text="One sentence shown on the listing and in emails.")
    presenter = models.CharField(max_length=120)
    presenter_bio = models.TextField(blank=True)
    what_you_will_learn = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    body = StreamField(StandardStreamBlock(), blank=True, use_json_field=True)

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("what_you_will_learn")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("presenter"), FieldPanel("presenter_bio")], "Presenter"),
        FieldPanel("what_you_will_learn"),
        FieldPanel("body"),
        InlinePanel("sessions", label="Sessions", min_num=1),
    ]

    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "webinar page"

    def get_context(self, request, *args, **kwargs):
        from .selectors import webinar_page_data  # selectors import these models

        form = kwargs.pop("form", None)
        data = kwargs.pop("webinar_data", None)
        context = super().get_context(request, *args, **kwargs)
        context.update(data or webinar_page_data(page=self))
        context["form"] = form or WebinarRegistrationForm(sessions=context["open_sessions"])
        return context

    def serve(self, request, *args, **kwargs):
        from .views import webinar_page_serve  # views import these models

        return webinar_page_serve(self, request, super().serve, *args, **kwargs)


class WebinarSession(Orderable):
    """One live date of a webinar. The join URL is private: only emails and the signed join link use it."""

    page = ParentalKey(WebinarPage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(help_text="Start time, in the zone chosen below.")
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default="America/New_York", help_text="The presenter's zone."
    )
    duration_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(5)])
    capacity = models.PositiveIntegerField(default=100, validators=[MinValueValidator(1)])
    join_url = models.URLField("private join URL", blank=True, help_text="Never shown on the site; emailed only.")
    replay_url = models.URLField("replay URL", blank=True, help_text="Add once recorded: the replay email goes out.")
    is_cancelled = models.BooleanField(
        "cancelled",
        default=False,
        help_text="Tick to call the session off. Deleting a session deletes its registrations instead.",
    )
    # Bumped whenever starts_at or duration changes, so calendar updates replace the old event.
    schedule_version = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("starts_at"),
        FieldPanel("time_zone"),
        FieldPanel("duration_minutes"),
        FieldPanel("capacity"),
        FieldPanel("join_url"),
        FieldPanel("replay_url"),
        FieldPanel("is_cancelled"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "webinar session"

    def __str__(self) -> str:
        return f"{self.page.title} · {timezone.localtime(self.starts_at, self.zone):%b %-d %Y %H:%M %Z}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = WebinarSession.objects.filter(pk=self.pk).values(
                "starts_at", "duration_minutes", "schedule_version"
            )
            stored = stored.first()
            if stored:
                version = max(self.schedule_version, stored["schedule_version"])
                moved = (stored["starts_at"], stored["duration_minutes"]) != (self.starts_at, self.duration_minutes)
                self.schedule_version = version + 1 if moved else version
        super().save(*args, **kwargs)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_or_none(self.time_zone) or zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Open for registration: not cancelled and not started yet."""
        return not self.is_cancelled and self.starts_at > timezone.now()


class WebinarRegistration(models.Model):
    """A person's seat (or place in line) for one session. One row per email and session."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(WebinarSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="webinar_registrations"
    )
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=120)
    company = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=120, blank=True)
    team_size = models.CharField(max_length=20, blank=True)
    question = models.TextField(max_length=1000, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, help_text="The registrant's zone, used in emails.")
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When the seat was taken (registration, re-registration or promotion): reminders due
    # before this moment are stale for this person and are skipped.
    seated_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    # Minutes in the meeting, from the meeting's participant export; None when attendance came
    # from the join link or the coach's tick (then nobody is counted as having left early).
    attended_minutes = models.PositiveIntegerField(null=True, blank=True)
    # The session's schedule_version the person's calendar last heard about.
    calendar_version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "email"], name="one_registration_per_email")]
        indexes = [models.Index(fields=["session", "status", "waitlisted_at"]), models.Index(fields=["email"])]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.get_status_display()})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zone_or_none(self.time_zone) or self.session.zone

    @property
    def ics_uid(self) -> str:
        """Stable per registration, so every update replaces the same calendar event."""
        return f"webinar-registration-{self.uuid}@huddle"


class WebinarEmail(models.Model):
    """The exactly-once ledger for scheduled webinar emails: one row per registration and kind,
    claimed (inserted) BEFORE sending. See program/webinars/dispatch.py for the protocol."""

    registration = models.ForeignKey(WebinarRegistration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=40)
    claim = models.UUIDField(default=uuid.uuid4)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="one_webinar_email_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.registration.email}"


SEATED = Q(status=WebinarRegistration.Status.REGISTERED)


class WebinarFollowUp(models.Model):
    """The email each segment gets once a session's attendance is final, edited by the coach as a
    snippet. One per segment; without an active one that segment gets no follow-up."""

    class Segment(models.TextChoices):
        ATTENDED = "attended", "Attended"
        LEFT_EARLY = "left_early", "Left early"
        MISSED = "missed", "Missed (had a seat, did not come)"
        ENROLLED = "enrolled", "Already enrolled in the program"

    segment = models.CharField(max_length=12, choices=Segment.choices, unique=True)
    subject = models.CharField(max_length=150, help_text="{webinar} is replaced by the webinar's title.")
    body = models.TextField(
        help_text="Plain text. Placeholders: {name}, {webinar}, {replay_url}, {program_url}, {offer_code}, "
        "{offer_percent}, {offer_expires}. The offer ones are empty when there is no offer."
    )
    offer_percent_off = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="A single-use discount for this segment (0: none). Never offered to people already enrolled.",
    )
    offer_valid_days = models.PositiveSmallIntegerField(default=7, validators=[MinValueValidator(1)])
    is_active = models.BooleanField("send it", default=True)

    panels = [
        FieldPanel("segment"),
        FieldPanel("subject"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("offer_percent_off"), FieldPanel("offer_valid_days")], "Offer"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = "webinar follow-up email"

    def __str__(self) -> str:
        return f"{self.get_segment_display()}: {self.subject}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.segment == self.Segment.ENROLLED and self.offer_percent_off:
            raise ValidationError({"offer_percent_off": "People who already bought get no discount."})


class WebinarOffer(models.Model):
    """The discount code a registrant was given in their follow-up (one per registration)."""

    registration = models.OneToOneField(WebinarRegistration, on_delete=models.CASCADE, related_name="offer")
    code = models.CharField(max_length=60)
    reference = models.CharField(max_length=255, blank=True, help_text="The Stripe promotion code id.")
    percent_off = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.code} for {self.registration.email}"
