"""A select for long, fixed lists of choices (the ~430 time zones on the profile form).

Django's Select renders every <option> through its own template include: about 25 ms of CPU per
profile page. This one gives the same HTML (same values, labels, order, `selected`, the select's
attributes: id, aria-describedby, aria-invalid, required), with the options' HTML built once per
process for a given list of choices; a render only marks the selected option. Its field,
FixedChoicesField, shares its (read-only) choices with each form's copy instead of deep-copying and
re-normalizing the ~430 pairs per form (another ~20 ms).

`QuickTextInput`, `QuickCheckboxInput` and the select build their HTML here, as Django's
`input.html` and `attrs.html` would (the form renderer's include of two templates per field was
a third of the profile page's CPU): the same markup, byte for byte, checked against Django's own
rendering by `tests/accounts/test_quick_widgets.py`.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def attrs_html(attrs: dict) -> str:
    """Django's `attrs.html`: ` name="value"` per attribute, the bare name for True, none for False."""
    return "".join(
        "" if value is False else format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
    )


class QuickInput:
    """Renders `input.html` in Python (the widget's context as Django builds it)."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value,
            mark_safe(attrs_html(widget["attrs"])),
        )  # noqa: S308 (attrs_html escapes with format_html)


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


_OPTION = '\n  <option value="{}">{}</option>\n'
_SELECTED = '\n  <option value="{}" selected>{}</option>\n'


@lru_cache(maxsize=8)
def option_html(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, label, its <option> HTML) for each choice, built once per list of choices."""
    return tuple((str(value), label, format_html(_OPTION, value, label)) for value, label in choices)


class FixedChoicesSelect(forms.Select):
    """A single select whose choices are flat (no groups) and known at import time."""

    template_name = "accounts/widgets/fixed_choices_select.html"

    def __deepcopy__(self, memo):
        # As ChoiceWidget's, but the normalized choices are shared, not copied and normalized again.
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        memo[id(self)] = obj
        return obj

    def get_context(self, name, value, attrs):
        # Widget's context without ChoiceWidget's per-option dicts (optgroups).
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = set(context["widget"]["value"])
        parts = []
        for option_value, label, html in option_html(tuple(self.choices)):
            if option_value in selected:
                selected.discard(option_value)  # like Select: only the first match is selected
                html = format_html(_SELECTED, option_value, label)
            parts.append(html)
        context["widget"]["options_html"] = mark_safe("".join(parts))  # every part built by format_html
        return context

    def _render(self, template_name, context, renderer=None):
        # fixed_choices_select.html, built here.
        widget = context["widget"]
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            mark_safe(attrs_html(widget["attrs"])),
            widget["options_html"],
        )  # noqa: S308 (attrs_html escapes with format_html)


class FixedChoicesField(forms.TypedChoiceField):
    """A model field's choices field whose choices are fixed: a tuple shared by every form's copy."""

    widget = FixedChoicesSelect

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._choices = self.widget._choices = tuple(self._choices)

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)  # skips ChoiceField's deep copy of the choices
        result._choices = result.widget._choices = self._choices
        return result
