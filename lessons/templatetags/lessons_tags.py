from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lessons.panel_html import (
    continue_html,
    learning_programs_html,
    open_commitments_html,
    recent_reflections_html,
)
from lessons.selectors import program_state

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_state(context, program):
    """The request's user in `program`: progress, outline and where to continue (one query). The
    program page's template asks for it, so the program app needs no lessons code."""
    return program_state(user=context["request"].user, program=program)


@register.filter
def get_item(mapping, key):
    """mapping[key] or None (templates cannot index dicts by a variable)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def question_result(quiz_result, block_id, index):
    """The just-submitted answer to one question: {"chosen": [...], "correct": bool} or None."""
    if not quiz_result:
        return None
    return (quiz_result.get("answers") or {}).get(f"{block_id}-{index}")


@register.filter
def count_correct(options):
    return sum(1 for option in options if option.get("correct"))


@register.simple_tag(takes_context=True)
def user_block(context, part):
    """Render a per-user body block (reflection, apply it, knowledge check) in the page's own context,
    as `{% include %}` does: Wagtail's `include_block` would copy the whole page context first."""
    block = part.block
    template_name = block.block.meta.template
    block_context = block.block.get_context(block.value)  # value, self and the block's extras
    with context.push({**block_context, "block_id": block.id}):  # a dict: the context has a "self" key
        return context.template.engine.get_template(template_name).render(context)


# The progress bar and the module outline appear on every lesson, module and program page (the
# program page shows one per module): built with format_html, several times cheaper than an
# {% include %} of a template each time. Markup and classes are those of the other templates.

_TICKS = {
    "done": mark_safe(  # noqa: S308 (constant markup)
        '<span class="lesson-outline__tick" aria-hidden="true">✓</span><span class="visually-hidden">Completed:</span>'
    ),
    "locked": mark_safe(  # noqa: S308 (constant markup)
        '<span class="lesson-outline__tick lesson-outline__tick--locked" aria-hidden="true">🔒</span>'
        '<span class="visually-hidden">Locked:</span>'
    ),
    "open": mark_safe('<span class="lesson-outline__tick lesson-outline__tick--open" aria-hidden="true">○</span>'),  # noqa: S308
}


_FREE_PREVIEW = '<span class="badge">Free preview</span>'
_OPTIONAL = '<span class="badge">Optional</span>'
_NEW_SINCE_FINISHED = '<span class="badge badge--success">New since you finished</span>'


@register.simple_tag
def progress_bar(percent, label="Progress", done=None, total=None):
    """`{% progress_bar percent label done total %}`: the bar, then "N % complete · d of t required lessons"."""
    text = f"{percent} % complete" if done is None else f"{percent} % complete · {done} of {total} required lessons"
    return format_html(
        '<div class="lesson-progress"><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
        ' aria-valuenow="{}" aria-label="{}"><div class="progress__bar" style="width: {}%"></div></div>'
        '<p class="muted lesson-progress__text">{}</p></div>',
        percent,
        label or "Progress",
        percent,
        text,
    )


@register.simple_tag
def program_progress(state, label="Program progress"):
    """`{% program_progress state label %}`: the program's bar; once completed it stays full and
    says so, and counts the lessons added since ("new since you finished") instead of a lower %."""
    if not state.completed_at:
        return progress_bar(state.percent, label, state.done_count, state.required_count)
    new = len(state.new_lessons)
    text = f"Completed {date_format(timezone.localtime(state.completed_at), 'M j, Y')}"
    if new:
        text += f" · {new} new lesson{'s' if new != 1 else ''} since you finished"
    return format_html(
        '<div class="lesson-progress"><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
        ' aria-valuenow="100" aria-label="{}"><div class="progress__bar" style="width: 100%"></div></div>'
        '<p class="muted lesson-progress__text">{}</p></div>',
        label or "Progress",
        text,
    )


@register.simple_tag
def lesson_outline(module, current_id=0):
    """`{% lesson_outline module current_id %}`: the module's lessons with ticks (a ModuleItem)."""
    items = []
    for item in module.lessons:
        current = item.id == current_id
        tick = _TICKS["done" if item.is_complete else "locked" if item.locked else "open"]
        badges = (_FREE_PREVIEW if item.free_preview else "") + ("" if item.required else _OPTIONAL)
        badges += _NEW_SINCE_FINISHED if item.new_since_finished else ""
        items.append(
            format_html(
                '<li class="lesson-outline__item{}">{}<a href="{}"{}>{}</a>{}</li>',
                " is-current" if current else "",
                tick,
                item.url,
                mark_safe(' aria-current="page"') if current else "",  # noqa: S308 (constant markup)
                item.title,
                mark_safe(badges),  # noqa: S308 (constant markup)
            )
        )
    return format_html(
        '<nav class="lesson-outline" aria-label="Lessons in {}"><ol class="lesson-outline__list">{}</ol></nav>',
        module.title,
        mark_safe("".join(items)),  # noqa: S308 (each item built with format_html)
    )


@register.filter
def locked_modules(state) -> list:
    """The steps still locked for this leader, in order (each knows `opens_at`, or opens after the previous)."""
    return [module for module in state.modules if module.locked]


# The learner dashboard's learning panel and the continue buttons (lessons/panel_html.py).


def _lesson_url(lesson) -> str:
    return lesson.url


@register.simple_tag
def continue_buttons(state):
    """`{% continue_buttons state %}`: what `lessons/includes/continue.html` shows, built in Python."""
    return continue_html(state, url=_lesson_url)


@register.simple_tag
def learning_programs(states):
    """`{% learning_programs panel.states %}`: one article per program on the learner dashboard."""
    return learning_programs_html(
        states, url=_lesson_url, progress=lambda state: program_progress(state, state.program.title)
    )


@register.simple_tag(takes_context=True)
def open_commitments(context, commitments):
    """`{% open_commitments panel.commitments %}`: each with its "Mark done" form."""
    return open_commitments_html(commitments, csrf_token=context.get("csrf_token"))


@register.simple_tag
def recent_reflections(reflections):
    """`{% recent_reflections panel.reflections %}`: the latest answers, cut to a few words."""
    return recent_reflections_html(reflections)
