"""Reads for program, module and lesson pages and the dashboard, in a fixed number of queries.

- `outline`: the program's modules and lessons (the structure, cached for every visitor) and the
  items, drip locks and URLs built over it in Python.
- `rows`: the leader's rows, one hand-written UNION ALL per page with one named row type per kind.
- `pages`: what a lesson, module or program page shows one visitor.
- `dashboard`: the dashboard's learning panel.

Import from here (`from lessons.selectors import lesson_view`); the modules are the layout.
"""

from .dashboard import DashboardItem, Learning, dashboard_learning
from .outline import (
    STRUCTURE_KEY,
    STRUCTURE_SECONDS,
    STRUCTURE_VERSION_KEY,
    LessonItem,
    ModuleItem,
    ProgramState,
    bump_structure_version,
    modules_with_progress,
    program_for_lesson,
    program_outline,
    program_states,
    program_structures,
    structure_version,
    url_from_path,
)
from .pages import (
    LessonView,
    Response,
    Responses,
    check_kept_route,
    lesson_view,
    module_page_context,
    program_state,
)

__all__ = [
    "STRUCTURE_KEY",
    "STRUCTURE_SECONDS",
    "STRUCTURE_VERSION_KEY",
    "DashboardItem",
    "Learning",
    "LessonItem",
    "LessonView",
    "ModuleItem",
    "ProgramState",
    "Response",
    "Responses",
    "bump_structure_version",
    "check_kept_route",
    "dashboard_learning",
    "lesson_view",
    "module_page_context",
    "modules_with_progress",
    "program_for_lesson",
    "program_outline",
    "program_state",
    "program_states",
    "program_structures",
    "structure_version",
    "url_from_path",
]
