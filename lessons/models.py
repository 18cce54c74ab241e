from django.db import models  # noqa: F401
from wagtail.models import Page


class ModulePage(Page):
    """One step of a program. Fields, progress and access arrive with the program issue."""

    parent_page_types = ["program.ProgramPage"]
    subpage_types: list[str] = []
