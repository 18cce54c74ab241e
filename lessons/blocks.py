"""StreamField blocks for lesson bodies. Each block has an icon, a template, a description and a preview."""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from .tracker_links import TRACKER_STEPS, step_url

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def video_embed_url(url: str) -> str | None:
    """The iframe URL for a YouTube or Vimeo link, built from the URL alone (no network call).
    None when the link is not a recognisable YouTube/Vimeo video."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    video_id = None
    if host == "youtu.be":
        video_id = path.split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if path == "watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("embed/", "shorts/", "live/")):
            video_id = path.split("/")[1] if "/" in path else ""
    if video_id is not None:
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host in ("vimeo.com", "player.vimeo.com"):
        segments = [s for s in path.split("/") if s]
        numeric = [s for s in segments if _VIMEO_ID.match(s)]
        if numeric:
            return f"https://player.vimeo.com/video/{numeric[0]}"
    return None


class LessonRichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "doc-full"
        template = "lessons/blocks/rich_text.html"
        description = "Paragraphs, lists and links."
        preview_value = "<p>Consistency beats intensity: a rhythm you keep every month wins.</p>"


class LessonHeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "lessons/blocks/heading.html"
        description = "A section heading inside the lesson."
        preview_value = "Why the first of the month matters"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(required=False, help_text="A YouTube or Vimeo link.")
    file = DocumentChooserBlock(required=False, help_text="Or an uploaded video file (MP4).")
    title = blocks.CharBlock(max_length=140, help_text="Describes the video for screen readers.")
    captions = DocumentChooserBlock(
        required=False, help_text="Captions for the uploaded file: a WebVTT document (.vtt), in English."
    )
    transcript = blocks.TextBlock(required=False, help_text="The words of the video, for reading instead.")

    def clean(self, value):
        value = super().clean(value)
        url, file = value.get("url"), value.get("file")
        errors = {}
        if not url and not file:
            errors["url"] = ValidationError("Give a YouTube/Vimeo link or choose a video file.")
        elif url and video_embed_url(url) is None:
            errors["url"] = ValidationError("Use a YouTube or Vimeo video link.")
        captions = value.get("captions")
        if captions is not None and not captions.file.name.lower().endswith(".vtt"):
            errors["captions"] = ValidationError("Captions must be a WebVTT file (.vtt).")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value.get("url") or "")
        return context

    class Meta:
        icon = "media"
        template = "lessons/blocks/video.html"
        description = "A YouTube/Vimeo video or an uploaded video file."
        preview_value = {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "A short welcome"}


class WorksheetBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(max_length=140)
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full-inverse"
        template = "lessons/blocks/worksheet.html"
        description = "A downloadable worksheet. Worksheets of paid lessons download only for enrolled leaders."
        preview_value = {"title": "Monthly targets worksheet", "description": "Fill it in before your next 1:1."}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("takeaway", "Key takeaway"), ("tip", "Tip"), ("warning", "Watch out")])
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "pick"
        template = "lessons/blocks/callout.html"
        description = "A highlighted key takeaway, tip or warning."
        preview_value = {"kind": "takeaway", "text": "<p>Numbers on the first, every month, for every rep.</p>"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=140)

    class Meta:
        icon = "openquote"
        template = "lessons/blocks/quote.html"
        description = "A short quote set apart from the text."
        preview_value = {"quote": "What gets published gets attention.", "attribution": "A sales director"}


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(help_text="The question the leader answers privately.")

    class Meta:
        icon = "edit"
        template = "lessons/blocks/reflection.html"
        description = "A question the leader answers in writing; answers are private and saved per leader."
        preview_value = {"prompt": "Which rep have you gone quiet on this month, and why?"}


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    correct = blocks.BooleanBlock(required=False)


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=255)
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2)
    explanation = blocks.TextBlock(required=False, help_text="Shown after the leader answers.")

    def clean(self, value):
        value = super().clean(value)
        if not any(option.get("correct") for option in value.get("options") or []):
            raise StructBlockValidationError(
                block_errors={"options": ValidationError("Mark at least one option correct.")}
            )
        return value


class KnowledgeCheckBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=140, default="Check your understanding")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "tasks"
        template = "lessons/blocks/knowledge_check.html"
        description = "Multiple-choice questions (one or more correct answers). Passing it completes the lesson."
        preview_value = {
            "heading": "Check your understanding",
            "questions": [
                {
                    "question": "When should monthly targets reach each rep?",
                    "options": [
                        {"text": "On the first of the month", "correct": True},
                        {"text": "At the first team meeting", "correct": False},
                    ],
                    "explanation": "Targets that arrive late tell people the month does not start until you say so.",
                }
            ],
        }


class ApplyItBlock(blocks.StructBlock):
    action = blocks.TextBlock(help_text="One concrete thing to do with the team this week.")
    tracker_step = blocks.ChoiceBlock(choices=TRACKER_STEPS, help_text="The accountability step it practises.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["tracker_url"] = step_url(int(value.get("tracker_step") or 1))
        return context

    class Meta:
        icon = "group"
        template = "lessons/blocks/apply_it.html"
        description = "Apply it with your team: an action for this week, linked to the tracker step."
        preview_value = {"action": "Send every rep their number before 9 am on the first.", "tracker_step": "1"}


class LessonStreamBlock(blocks.StreamBlock):
    text = LessonRichTextBlock()
    heading = LessonHeadingBlock()
    video = VideoBlock()
    worksheet = WorksheetBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    reflection = ReflectionPromptBlock()
    knowledge_check = KnowledgeCheckBlock()
    apply_it = ApplyItBlock()
