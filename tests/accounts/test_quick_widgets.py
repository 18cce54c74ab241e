"""The profile form's widgets build their HTML in Python (accounts/widgets.py): for every value
and attribute they meet (none, empty, text to escape, safe text, numbers, True and False
attributes, an error's aria-invalid, help text's aria-describedby) the markup is byte for byte
what Django's own templates give, and the profile form renders the same as with Django's widgets."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from accounts.forms import ProfileForm
from accounts.widgets import FixedChoicesSelect, QuickCheckboxInput, QuickTextInput

VALUES = [None, "", "Jo", 'Jo "the <b>boss</b>" & co', mark_safe("<i>safe</i>"), 0, 42]
ATTRS = [
    {},
    {"id": "id_f", "required": True},
    {"id": "id_f", "aria-describedby": "id_f_helptext", "aria-invalid": "true", "disabled": False},
    {"autocomplete": "name", "data-x": 'a"b<c>', "maxlength": 120},
]


def _django(widget, name, value, attrs):
    """The widget rendered by Django's form templates (the class's own renderer, not ours)."""
    context = widget.get_context(name, value, attrs)
    return forms.Widget._render(widget, widget.template_name, context)


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_text_input_is_djangos_markup(value, attrs):
    widget = QuickTextInput(attrs={"autocomplete": "organization"})
    assert widget.render("company", value, attrs=attrs) == _django(widget, "company", value, attrs)


@pytest.mark.parametrize("value", [None, "", True, False, "on", "false"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_checkbox_is_djangos_markup(value, attrs):
    widget = QuickCheckboxInput()
    assert widget.render("share", value, attrs=attrs) == _django(widget, "share", value, attrs)


@pytest.mark.parametrize("value", [None, "", "UTC", "Europe/Paris", "Nowhere/<x>"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_fixed_choices_select_is_its_templates_markup(value, attrs):
    widget = FixedChoicesSelect(choices=(("UTC", "UTC"), ("Europe/Paris", "Europe/Paris"), ("A&B", "A <&> B")))
    assert widget.render("time_zone", value, attrs=attrs) == _django(widget, "time_zone", value, attrs)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"full_name": "", "time_zone": "Nowhere", "company": "<Acme & co>"}])
def test_the_profile_form_renders_as_with_djangos_widgets(user, data, monkeypatch):
    quick = ProfileForm(data, instance=user)
    quick.is_valid() if data else None
    ours = {name: str(quick[name]) for name in quick.fields}
    for cls in (QuickTextInput, QuickCheckboxInput, FixedChoicesSelect):
        monkeypatch.setattr(cls, "_render", forms.Widget._render)
    plain = ProfileForm(data, instance=user)
    plain.is_valid() if data else None
    assert ours == {name: str(plain[name]) for name in plain.fields}
    assert ("aria-invalid" in ours["time_zone"]) == bool(data)
