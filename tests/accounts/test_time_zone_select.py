"""The profile's time zone select: the same HTML as Django's Select, its options built once per
process, and no template render per option (it cost ~25 ms of CPU per profile page)."""

import pytest
from django import forms
from django.test.signals import template_rendered
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.models import TIME_ZONE_CHOICES, User
from accounts.widgets import option_html

pytestmark = pytest.mark.django_db


def django_select_html(form: ProfileForm) -> str:
    """The time zone field as Django's own Select renders it."""
    field = form.fields["time_zone"]
    field.widget = forms.Select(choices=field.choices)
    return str(form["time_zone"])


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Not/A_Zone", ""])
def test_same_html_as_djangos_select(zone):
    unbound = ProfileForm(instance=User(time_zone=zone))
    assert str(unbound["time_zone"]) == django_select_html(ProfileForm(instance=User(time_zone=zone)))
    bound = ProfileForm(data={"time_zone": zone})
    bound.is_valid()
    mine = str(bound["time_zone"])
    again = ProfileForm(data={"time_zone": zone})
    again.is_valid()
    assert mine == django_select_html(again)
    assert mine.count("<option ") == len(TIME_ZONE_CHOICES)
    assert mine.count(" selected>") == (1 if zone in dict(TIME_ZONE_CHOICES) else 0)


def test_labels_values_and_validation_kept():
    html = str(ProfileForm(instance=User(time_zone="America/Denver"))["time_zone"])
    assert '<option value="America/Denver" selected>America/Denver</option>' in html
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>' in html
    assert 'aria-describedby="id_time_zone_helptext"' in html
    form = ProfileForm(data={"time_zone": "Mars/Olympus"})
    assert not form.is_valid()
    assert "Mars/Olympus is not one of the available choices" in str(form.errors["time_zone"])
    assert 'aria-invalid="true"' in str(form["time_zone"])


def test_options_built_once_per_process(user):
    str(ProfileForm(instance=user)["time_zone"])
    built = option_html.cache_info().misses
    for zone in ("UTC", "Asia/Tokyo"):
        str(ProfileForm(instance=User(time_zone=zone))["time_zone"])
    assert option_html.cache_info().misses == built


def test_profile_page_renders_no_template_per_option(client, home_page, user):
    client.force_login(user)
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        response = client.get(reverse("accounts:profile"))
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200
    assert response.content.decode().count("<option ") == len(TIME_ZONE_CHOICES)
    assert "django/forms/widgets/select_option.html" not in rendered
    assert len(rendered) < 60, rendered


def test_each_form_shares_the_choices_instead_of_copying_them():
    shared = ProfileForm.base_fields["time_zone"].choices
    assert isinstance(shared, tuple) and len(shared) == len(TIME_ZONE_CHOICES)
    one, two = ProfileForm().fields["time_zone"], ProfileForm().fields["time_zone"]
    assert one.choices is shared and two.choices is shared and one.widget.choices is shared
    assert one.widget is not two.widget and one.widget.attrs is not two.widget.attrs
