"""The tracker's background tasks (django-tasks). Each is defined next to the work it does, so the
services that enqueue them and the tasks that run them never import each other in a circle."""

from .services.communication import send_target_sheet
from .services.meeting import render_meeting_pdf
from .views.warm import warm_team_pages

__all__ = ["render_meeting_pdf", "send_target_sheet", "warm_team_pages"]
