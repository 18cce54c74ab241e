"""The tracker's models, one module per aggregate. Django finds every model here (label `tracker`)."""

from .celebrations import Celebration
from .coach_notes import CoachNote
from .communication import TargetAcknowledgement, TargetCommunication
from .consistency import ConsistencySettings
from .fields import VALUE_FIELD, validate_month
from .history import ValueChange
from .meeting import MeetingPdf, MeetingPresentation, PresentationEvent
from .one_on_ones import ActionItem, OneOnOne
from .plans import ImprovementPlan, PlanCheckIn
from .rhythm import AcknowledgementReminder, ReminderKind, RhythmEmail, TeamRhythm
from .seasonality import SeasonalityProfile
from .sharing import TeamBoardLink
from .teams import CoLeaderInvitation, Member, Metric, Team, TeamCoLeader, TrackerAccess
from .values import Result, ResultImport, Target

__all__ = [
    "AcknowledgementReminder",
    "ReminderKind",
    "RhythmEmail",
    "TeamRhythm",
    "VALUE_FIELD",
    "ActionItem",
    "Celebration",
    "CoachNote",
    "ConsistencySettings",
    "ImprovementPlan",
    "MeetingPdf",
    "MeetingPresentation",
    "PresentationEvent",
    "Member",
    "Metric",
    "OneOnOne",
    "PlanCheckIn",
    "Result",
    "ResultImport",
    "SeasonalityProfile",
    "Target",
    "TargetAcknowledgement",
    "TargetCommunication",
    "Team",
    "TeamBoardLink",
    "TeamCoLeader",
    "CoLeaderInvitation",
    "TrackerAccess",
    "ValueChange",
    "validate_month",
]
