from wagtail import blocks


class NewsletterSignupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Get the weekly newsletter")
    text = blocks.TextBlock(required=False, default="One short email a week with an idea for your next sales meeting.")

    class Meta:
        icon = "mail"
        template = "blocks/newsletter_signup_block.html"
        description = "A newsletter sign-up form (double opt-in); the page is recorded as the source."
        preview_value = {"heading": "Get the weekly newsletter", "text": "One idea a week, five minutes to read."}
