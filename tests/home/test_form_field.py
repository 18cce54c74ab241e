"""The shared field template: what a screen reader is pointed at exists on the page."""

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(help_text="As your team knows you.")
    note = forms.CharField(required=False)


def _described_by_ids_exist(html: str) -> None:
    ids = set(re.findall(r' id="([^"]+)"', html))
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in described.split():
            assert target in ids, f"aria-describedby names {target!r}, which is not on the page"


def test_help_text_is_what_the_input_is_described_by():
    form = _Form()
    html = render_to_string("includes/form_field.html", {"field": form["name"]})
    assert 'aria-describedby="id_name_helptext"' in html
    assert 'id="id_name_helptext"' in html
    _described_by_ids_exist(html)


def test_a_field_in_error_keeps_its_help_described():
    form = _Form(data={"name": ""})
    assert not form.is_valid()
    html = render_to_string("includes/form_field.html", {"field": form["name"]})
    assert 'aria-invalid="true"' in html and "This field is required." in html
    _described_by_ids_exist(html)


def test_a_field_without_help_text_points_nowhere():
    html = render_to_string("includes/form_field.html", {"field": _Form()["note"]})
    assert "aria-describedby" not in html
