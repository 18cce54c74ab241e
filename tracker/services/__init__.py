"""Writes for the tracker, one module per step of the method (communication, meeting, one_on_ones,
plans, celebrations) and per concern (teams, values, imports, consistency). Every service
validates before saving and changes all or nothing."""

from .annual_targets import annual_targets_apply, seasonality_profile_delete, seasonality_profile_save
from .celebrations import (
    celebration_note_update,
    celebration_record,
    celebration_send,
)
from .coleaders import coleader_accept, coleader_invitation_for_token, coleader_invite, coleader_remove
from .communication import (
    send_target_sheet,
    target_acknowledge,
    targets_communicate,
)
from .consistency import (
    consistency_settings_update,
)
from .history import (
    value_restore,
)
from .imports import (
    UndoPlan,
    results_import_apply,
    results_import_preview,
    results_import_undo,
    undo_plan,
)
from .meeting import (
    FAILED_RETRY_SECONDS,
    INLINE_MAX_CELLS,
    PDF_TEMPLATE,
    PENDING_REFRESH_SECONDS,
    PENDING_RETRY_SECONDS,
    PdfRequest,
    Status,
    content_key,
    meeting_mark_presented,
    meeting_present_problem,
    meeting_unmark_presented,
    pdf_cells,
    render_meeting_pdf,
    render_pending,
    request_pdf,
)
from .one_on_ones import (
    EARLIEST_MONTH,
    HOLD_WINDOW_DAYS,
    MAX_DUE_DAYS,
    OneOnOneConflict,
    action_item_create,
    action_item_set_done,
    check_member,
    check_month,
    one_on_one_hold,
    one_on_one_ics,
    one_on_one_invite_send,
    one_on_one_schedule,
)
from .plans import (
    MAX_PLAN_DAYS,
    plan_check_in,
    plan_open,
    plan_outcome,
)
from .slots import one_on_ones_from_slots
from .teams import (
    DEFAULT_METRICS,
    member_create,
    member_set_active,
    member_update,
    metric_create,
    metric_move,
    metric_update,
    team_create,
    team_update,
)
from .values import (
    Conflict,
    month_values_save,
)

__all__ = [
    "annual_targets_apply",
    "seasonality_profile_delete",
    "seasonality_profile_save",
    "Conflict",
    "UndoPlan",
    "undo_plan",
    "value_restore",
    "DEFAULT_METRICS",
    "EARLIEST_MONTH",
    "FAILED_RETRY_SECONDS",
    "HOLD_WINDOW_DAYS",
    "INLINE_MAX_CELLS",
    "MAX_DUE_DAYS",
    "OneOnOneConflict",
    "MAX_PLAN_DAYS",
    "PDF_TEMPLATE",
    "PENDING_REFRESH_SECONDS",
    "PENDING_RETRY_SECONDS",
    "PdfRequest",
    "Status",
    "action_item_create",
    "action_item_set_done",
    "celebration_note_update",
    "celebration_record",
    "celebration_send",
    "check_member",
    "check_month",
    "coleader_accept",
    "coleader_invitation_for_token",
    "coleader_invite",
    "coleader_remove",
    "consistency_settings_update",
    "content_key",
    "meeting_mark_presented",
    "meeting_present_problem",
    "meeting_unmark_presented",
    "member_create",
    "member_set_active",
    "member_update",
    "metric_create",
    "metric_move",
    "metric_update",
    "month_values_save",
    "one_on_one_hold",
    "one_on_one_ics",
    "one_on_one_invite_send",
    "one_on_ones_from_slots",
    "one_on_one_schedule",
    "pdf_cells",
    "plan_check_in",
    "plan_open",
    "plan_outcome",
    "render_meeting_pdf",
    "render_pending",
    "request_pdf",
    "results_import_apply",
    "results_import_preview",
    "results_import_undo",
    "send_target_sheet",
    "target_acknowledge",
    "targets_communicate",
    "team_create",
    "team_update",
]
