from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.core.caching.routing import CachedViewRestrictionsMixin
from home.core.caching.site_settings import KeptSiteSettingMixin

from .blocks import HomeStreamBlock, StandardStreamBlock


class HomePage(CachedViewRestrictionsMixin, Page):
    """The coach's front door: hero, offerings, testimonials and calls to action."""

    intro = models.CharField(max_length=255, blank=True, help_text="Used as the meta description.")
    body = StreamField(HomeStreamBlock(), blank=True, use_json_field=True)

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(CachedViewRestrictionsMixin, Page):
    """About, contact, coaching and workshop pages."""

    intro = models.TextField(blank=True)
    body = StreamField(StandardStreamBlock(), blank=True, use_json_field=True)

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "standard page"


def stripe_tax_default() -> bool:
    """A new site starts with Stripe Tax as the environment says (STRIPE_AUTOMATIC_TAX)."""
    return bool(getattr(settings, "STRIPE_AUTOMATIC_TAX", False))


@register_setting(icon="site")
class SiteSettings(KeptSiteSettingMixin, BaseSiteSetting):
    """Brand and contact details, editable by the coach in Settings. Read on every page (header,
    footer, title): kept in the shared cache with the Sites (home.core.caching.site_settings)."""

    brand_name = models.CharField(max_length=80, default="Huddle")
    tagline = models.CharField(max_length=160, blank=True, default="Sales leadership, made consistent")
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    coach_name = models.CharField(max_length=120, blank=True)
    coach_signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Used on completion certificates.",
    )
    primary_colour = models.CharField(max_length=7, default="#1f3a5f", help_text="Hex, e.g. #1f3a5f")
    accent_colour = models.CharField(max_length=7, default="#c8553d", help_text="Hex, e.g. #c8553d")
    contact_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    linkedin_url = models.URLField(blank=True)
    linkedin_organization_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9]+$", "Digits only: the number in your LinkedIn company page's admin URL.")],
        help_text="Your LinkedIn company page's number (in its admin URL, linkedin.com/company/<number>/admin). "
        "Certificates added to LinkedIn then link to your company page.",
    )
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    stripe_automatic_tax = models.BooleanField(
        "Stripe Tax",
        default=stripe_tax_default,
        help_text="Stripe works out and adds sales tax or VAT at checkout from the buyer's address. "
        "Turn on only once Stripe Tax is set up in your Stripe dashboard.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("brand_name"), FieldPanel("tagline"), FieldPanel("logo")], "Brand"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")], "Colours"),
        MultiFieldPanel([FieldPanel("coach_name"), FieldPanel("coach_signature")], "Coach"),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("phone")], "Contact"),
        MultiFieldPanel(
            [
                FieldPanel("linkedin_url"),
                FieldPanel("linkedin_organization_id"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
            ],
            "Social links",
        ),
        MultiFieldPanel([FieldPanel("stripe_automatic_tax")], "Payments"),
    ]

    class Meta:
        verbose_name = "site settings"

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("LinkedIn", self.linkedin_url),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in pairs if url]
