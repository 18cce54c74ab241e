"""The weekly newsletter: subscribers with a consent ledger, issues written as pages, deliveries."""

import uuid

from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import StandardStreamBlock
from home.core.caching.routing import CachedViewRestrictionsMixin


class NewsletterSubscriber(models.Model):
    """One address. Only CONFIRMED subscribers receive issues (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=200, help_text="Where they first signed up.")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.email


class NewsletterConsent(models.Model):
    """The consent ledger: every subscribe, confirm and unsubscribe, never overwritten."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", "Asked to subscribe"
        CONFIRM = "confirm", "Confirmed"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed"

    subscriber = models.ForeignKey(NewsletterSubscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=12, choices=Action.choices)
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=200)
    wording = models.TextField(blank=True, help_text="The consent text shown when they acted.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


@register_setting(icon="mail")
class NewsletterSettings(BaseSiteSetting):
    """What every issue must carry by law (US CAN-SPAM: a valid postal address of the sender)."""

    postal_address = models.TextField(
        blank=True,
        help_text="The business's postal address, printed at the foot of every newsletter issue. "
        "Required before an issue can be sent.",
    )

    panels = [FieldPanel("postal_address")]

    class Meta:
        verbose_name = "newsletter settings"


class NewsletterIndexPage(CachedViewRestrictionsMixin, Page):
    """The public archive of sent issues."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = "newsletter index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (
            NewsletterIssuePage.objects.live().child_of(self).filter(sent_at__isnull=False).order_by("-sent_at")
        )
        return context


class NewsletterIssuePage(CachedViewRestrictionsMixin, Page):
    """One issue. Publishing puts it on the site only once it has been sent."""

    subject = models.CharField(max_length=150)
    preheader = models.CharField(max_length=150, blank=True, help_text="The preview line shown in inboxes.")
    body = StreamField(StandardStreamBlock(), use_json_field=True)
    send_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_fields = Page.search_fields + [index.SearchField("subject"), index.SearchField("body")]

    content_panels = Page.content_panels + [FieldPanel("subject"), FieldPanel("preheader"), FieldPanel("body")]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "newsletter issue"

    def serve(self, request, *args, **kwargs):
        if self.sent_at is None and not getattr(request, "is_preview", False):
            raise Http404("Not sent yet")
        return super().serve(request, *args, **kwargs)


class NewsletterDelivery(models.Model):
    """One issue to one subscriber, claimed (inserted) before sending: never twice."""

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(NewsletterSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    claim = models.UUIDField(default=uuid.uuid4)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_issue")]
        indexes = [models.Index(fields=["claim"])]

    def __str__(self) -> str:
        return f"{self.issue} to {self.subscriber}"
