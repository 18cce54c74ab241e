"""StreamField blocks for the coach's site pages."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "link"
        template = "blocks/link_block.html"


class HeroBlock(blocks.StructBlock):
    eyebrow = blocks.CharBlock(required=False, max_length=80)
    heading = blocks.CharBlock(max_length=140)
    text = blocks.TextBlock(required=False)
    image = ImageChooserBlock(required=False)
    primary = LinkBlock(required=False)
    secondary = LinkBlock(required=False)

    class Meta:
        icon = "pick"
        template = "blocks/hero_block.html"
        description = "A large opening statement with up to two buttons."
        preview_value = {
            "eyebrow": "Sales leadership coaching",
            "heading": "Lead a team that hits its numbers every month",
            "text": "A simple monthly system for holding people accountable, without the awkwardness.",
            "primary": {"label": "See the program", "url": "/program/"},
        }


class OfferingBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock()
    link = LinkBlock(required=False)


class OfferingsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False)
    items = blocks.ListBlock(OfferingBlock())

    class Meta:
        icon = "list-ul"
        template = "blocks/offerings_block.html"
        description = "A row of cards, one per thing the coach offers."
        preview_value = {
            "heading": "Ways to work together",
            "items": [
                {"title": "Online program", "text": "Nine steps, at your own pace."},
                {"title": "Workshops", "text": "Live, virtual sessions for your whole team."},
                {"title": "1:1 coaching", "text": "A sounding board for the hard calls."},
            ],
        }


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    name = blocks.CharBlock(max_length=100)
    role = blocks.CharBlock(max_length=140, required=False)


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    items = blocks.ListBlock(TestimonialBlock())

    class Meta:
        icon = "openquote"
        template = "blocks/testimonials_block.html"
        description = "Short quotes from leaders who took the program."
        preview_value = {
            "heading": "What leaders say",
            "items": [{"quote": "My one-on-ones finally have a purpose.", "name": "A sales director"}],
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button = LinkBlock()

    class Meta:
        icon = "redirect"
        template = "blocks/cta_block.html"
        description = "A banner that asks the reader to take one next step."
        preview_value = {
            "heading": "Join the free webinar",
            "text": "Forty-five minutes, five strategies, no pitch deck.",
            "button": {"label": "Save my seat", "url": "/webinars/"},
        }


class RichTextSectionBlock(blocks.RichTextBlock):
    class Meta:
        icon = "doc-full"
        template = "blocks/rich_text_block.html"
        description = "Paragraphs, lists and links."
        preview_value = "<p>Consistency beats intensity. A system you run every month wins.</p>"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section heading."
        preview_value = "Why accountability feels hard"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=200)
    alt = blocks.CharBlock(required=False, max_length=200, help_text="Describe the image for screen readers.")

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "One image with an optional caption."


class NewsletterSignupBlock(blocks.StructBlock):
    """The newsletter sign-up form (the newsletter app's partial) placed on a page; the page is the
    source. Defined here, with the other page blocks, so the site's stream blocks need no import
    from the nested newsletter app."""

    heading = blocks.CharBlock(max_length=120, default="Get the weekly newsletter")
    text = blocks.TextBlock(required=False, default="One short email a week with an idea for your next sales meeting.")

    class Meta:
        icon = "mail"
        template = "blocks/newsletter_signup_block.html"
        description = "A newsletter sign-up form (double opt-in); the page is recorded as the source."
        preview_value = {"heading": "Get the weekly newsletter", "text": "One idea a week, five minutes to read."}


class HomeStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    offerings = OfferingsBlock()
    testimonials = TestimonialsBlock()
    cta = CallToActionBlock()
    heading = HeadingBlock()
    text = RichTextSectionBlock()
    image = ImageBlock()
    newsletter = NewsletterSignupBlock()


class StandardStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = RichTextSectionBlock()
    image = ImageBlock()
    offerings = OfferingsBlock()
    testimonials = TestimonialsBlock()
    cta = CallToActionBlock()
    newsletter = NewsletterSignupBlock()
