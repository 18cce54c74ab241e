"""The learner dashboard's learning panel and the "continue" buttons, built with format_html.

The dashboard shows them for every program of every leader on every visit: a Django template
resolves each variable and include node by node, several times slower than building the same
markup here (issue 16: the panel's rendering was a third of the dashboard's CPU). The markup,
classes, ARIA attributes and text are those of `lessons/includes/continue.html`,
`next_opening.html` and `drip_dates.html` (the lesson and module pages still include those):
`tests/lessons/test_panel_html.py` renders both for the same states and fails if they differ.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from home.core.caching.urls import cached_reverse

from .selectors import DashboardItem, ProgramState


def _date(value, fmt: str) -> str:
    """As the template's `date` filter: an aware datetime in the active time zone."""
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, fmt)


def _next_opening(state: ProgramState) -> SafeString:
    """`next_opening.html`: the next locked step and when it opens."""
    module = next((module for module in state.modules if module.locked), None)
    if module is None:
        return mark_safe("Your next lessons open soon.")  # noqa: S308 (constant text)
    if module.opens_at:
        when = format_html("on {}", _date(module.opens_at, "l, F j"))
    else:
        when = format_html("when you complete step {}", module.number - 1)
    return format_html("Step {}, {}, opens {}.", module.number, module.title, when)


def continue_html(state: ProgramState, *, url) -> SafeString:
    """`continue.html`: "continue where you left off", program complete, or when the next step
    opens; and the last visited lesson. `url(lesson)` gives a lesson's URL."""
    next_lesson, last = state.continue_lesson, state.last_visited
    parts = []
    if state.completed_at or (state.all_required_done and not next_lesson):
        done_on = format_html(" · {}", _date(state.completed_at, "M j, Y")) if state.completed_at else ""
        parts.append(format_html('<span class="badge badge--success">Program complete{}</span>', done_on))
        new = state.new_lessons
        if new:
            parts.append(
                format_html(
                    '<a class="button button--ghost" href="{}">New since you finished: {}</a>',
                    url(new[0]),
                    new[0].title,
                )
            )
    elif next_lesson:
        parts.append(
            format_html(
                '<a class="button button--accent" href="{}">Continue where you left off: {}</a>',
                url(next_lesson),
                next_lesson.title,
            )
        )
    else:
        parts.append(format_html('<span class="muted">{}\n</span>', _next_opening(state)))
    if last and (next_lesson is None or last.id != next_lesson.id):
        parts.append(
            format_html('<a class="button button--ghost" href="{}">Last visited: {}</a>', url(last), last.title)
        )
    return format_html('<div class="lesson-continue button-row">\n{}\n</div>', mark_safe("\n".join(parts)))  # noqa: S308 (each part built with format_html)


def drip_dates_html(state: ProgramState) -> SafeString:
    """`drip_dates.html`: the steps still locked for this leader and when each opens."""
    locked = [module for module in state.modules if module.locked]
    if not locked or not state.has_access:
        return mark_safe("")  # noqa: S308 (empty)
    items = []
    for module in locked:
        if module.opens_at:
            when = format_html(
                'opens <time datetime="{}">{}</time>', _date(module.opens_at, "c"), _date(module.opens_at, "F j, Y")
            )
        else:
            when = format_html("opens when you complete step {}", module.number - 1)
        items.append(
            format_html(
                '<li><span class="lesson-outline__tick lesson-outline__tick--locked" aria-hidden="true">🔒</span>'
                " Step {}: {} · {}</li>",
                module.number,
                module.title,
                when,
            )
        )
    return format_html(
        '<div class="drip-dates">\n<h4>Coming up</h4>\n<ul class="drip-dates__list">\n{}\n</ul>\n</div>',
        mark_safe("\n".join(items)),  # noqa: S308 (each item built with format_html)
    )


def learning_programs_html(states: list[ProgramState], *, url, progress) -> SafeString:
    """One article per program: its link, progress bar (`progress(state)`), next lesson, the
    continue buttons and the coming steps; or the sentence for a leader not enrolled anywhere."""
    if not states:
        return mark_safe("<p>You are not enrolled in a program yet.</p>")  # noqa: S308 (constant text)
    articles = []
    for state in states:
        next_lesson = state.continue_lesson
        upcoming = ""
        if next_lesson and not state.completed_at:
            upcoming = format_html(
                '<p class="muted">Next lesson: {} ({} min)</p>', next_lesson.title, next_lesson.estimated_minutes
            )
        articles.append(
            format_html(
                '<article class="learning-panel__program">\n<h3><a href="{}">{}</a></h3>\n{}\n{}\n{}\n{}\n</article>',
                state.url,
                state.program.title,
                progress(state),
                upcoming,
                continue_html(state, url=url),
                drip_dates_html(state),
            )
        )
    return mark_safe("\n".join(articles))  # noqa: S308 (each article built with format_html)


def _csrf_input(token) -> SafeString:
    """As `{% csrf_token %}`: the hidden input, or nothing without a token."""
    if not token or token == "NOTPROVIDED":
        return mark_safe("")  # noqa: S308 (empty)
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def open_commitments_html(commitments: list[DashboardItem], *, csrf_token) -> SafeString:
    """The open commitments, each with its "Mark done" form (back to the dashboard)."""
    if not commitments:
        return mark_safe(  # noqa: S308 (constant text)
            '<p class="muted">No open commitments. Lessons with “Apply it with your team” let you commit to an action.</p>'
        )
    csrf = _csrf_input(csrf_token)
    return format_html(
        '<ul class="learning-panel__list">\n{}\n</ul>',
        format_html_join(
            "\n",
            '<li>\n<p>{} <a href="{}" class="muted">({})</a></p>\n'
            '<form method="post" action="{}">{}\n'
            '<input type="hidden" name="next" value="/dashboard/">\n'
            '<button type="submit" class="button button--small">Mark done</button>\n</form>\n</li>',
            (
                (
                    item.text,
                    item.lesson_url,
                    item.lesson_title,
                    cached_reverse("lessons:commitment_done", args=[item.pk]),
                    csrf,
                )
                for item in commitments
            ),
        ),
    )


def recent_reflections_html(reflections: list[DashboardItem]) -> SafeString:
    """The latest reflection answers: the prompt and the answer cut to a few words, the lesson, the day."""
    if not reflections:
        return mark_safe('<p class="muted">Your private answers to reflection prompts will appear here.</p>')  # noqa: S308
    return format_html(
        '<ul class="learning-panel__list">\n{}\n</ul>',
        format_html_join(
            "\n",
            '<li><p class="muted">{}</p><p>{}</p>\n<a href="{}">{}</a> · {}</li>',
            (
                (
                    Truncator(item.prompt).words(14, truncate=" …"),
                    Truncator(item.text).words(30, truncate=" …"),
                    item.lesson_url,
                    item.lesson_title,
                    _date(item.at, "M j"),
                )
                for item in reflections
            ),
        ),
    )
