"""The three Wagtail 8.0 templates copied for the breadcrumbs (home/admin_views/breadcrumbs.py) differ
from Wagtail's only by the breadcrumbs tag: a Wagtail upgrade that changes any of them fails here."""

from pathlib import Path

import pytest
import wagtail
from django.conf import settings

COPIED = (
    "shared/headers/page_edit_header.html",
    "pages/edit_partials.html",
    "pages/page_listing_header.html",
)


def ours_as_wagtails(text: str) -> str:
    """Our copy with its note dropped and our tag put back as Wagtail's."""
    lines = text.splitlines(keepends=True)
    assert lines[0].startswith("{# Wagtail 8.0's")
    body = "".join(lines[1:])
    assert body.count("huddle_page_breadcrumbs") == 1
    return body.replace("{% load huddle_breadcrumbs ", "{% load ").replace(
        "huddle_page_breadcrumbs", "page_breadcrumbs"
    )


@pytest.mark.parametrize("name", COPIED)
def test_a_copied_template_differs_from_wagtails_only_by_the_breadcrumbs_tag(name):
    wagtails = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin" / name
    ours = Path(settings.BASE_DIR) / "templates/wagtailadmin" / name
    assert ours_as_wagtails(ours.read_text()) == wagtails.read_text()
