"""`{% url %}` and `{% static %}` remembered per process (lessons/templatetags/cached_urls.py):
the same URLs as Django's tags, under every script prefix, and errors raised as before."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.templatetags.static import static
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from home.core.caching.urls import cached_reverse


def _render(source: str, **context) -> str:
    return Template("{% load static cached_urls %}" + source).render(Context(context))


def test_url_and_static_tags_give_djangos_urls():
    assert _render("{% url 'lessons:search' %}") == reverse("lessons:search")
    assert _render("{% url 'lessons:complete' 7 %}") == reverse("lessons:complete", args=[7])
    assert _render("{% url 'lessons:reflection' pk 'b-1' %}", pk=3) == reverse("lessons:reflection", args=[3, "b-1"])
    assert _render("{% url 'lessons:search' as there %}[{{ there }}]") == f"[{reverse('lessons:search')}]"
    assert _render("{% static 'css/huddle.css' %}") == static("css/huddle.css")
    assert _render("{% static 'css/print.css' as css %}{{ css }}") == static("css/print.css")


def test_a_remembered_url_follows_the_script_prefix():
    plain = cached_reverse("lessons:search")
    set_script_prefix("/mounted/")
    try:
        assert cached_reverse("lessons:search") == "/mounted" + plain == reverse("lessons:search")
    finally:
        clear_script_prefix()
    assert cached_reverse("lessons:search") == plain


def test_unknown_names_still_fail_and_are_not_remembered():
    with pytest.raises(NoReverseMatch):
        cached_reverse("lessons:no-such-view")
    with pytest.raises(NoReverseMatch):
        _render("{% url 'lessons:no-such-view' %}")
    assert _render("{% url 'lessons:no-such-view' as x %}[{{ x }}]") == "[]"
    with pytest.raises(TemplateSyntaxError):
        _render("{% url %}")


def test_other_arguments_are_reversed_every_time():
    class Changing:
        def __init__(self):
            self.value = "1"

        def __str__(self):
            return self.value

    arg = Changing()
    assert cached_reverse("lessons:complete", args=[arg]) == reverse("lessons:complete", args=[1])
    arg.value = "2"
    assert cached_reverse("lessons:complete", args=[arg]) == reverse("lessons:complete", args=[2])
