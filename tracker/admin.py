from django.contrib import admin

from .models import ActionItem, Celebration, ConsistencySettings, ImprovementPlan, OneOnOne, PlanCheckIn, TrackerAccess


@admin.register(TrackerAccess)
class TrackerAccessAdmin(admin.ModelAdmin):
    """The coach gives a free trial of the tracker to someone who is not enrolled."""

    list_display = ["user", "expires_on", "note", "created_at"]
    search_fields = ["user__email", "user__full_name", "note"]
    raw_id_fields = ["user"]


@admin.register(ConsistencySettings)
class ConsistencySettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "threshold_percent", "publish_within_days", "review_within_days", "act_within_days"]
    raw_id_fields = ["team"]


@admin.register(OneOnOne)
class OneOnOneAdmin(admin.ModelAdmin):
    """Notes are private to the leader: the admin lists 1:1s without them."""

    list_display = ["member", "team", "month", "scheduled_at", "held_at", "cancelled_at", "discussed_gap"]
    list_filter = ["month"]
    exclude = ["notes"]
    raw_id_fields = ["team", "member"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "member", "owner", "due_on", "done_at"]
    raw_id_fields = ["team", "member", "one_on_one"]


class PlanCheckInInline(admin.TabularInline):
    model = PlanCheckIn
    extra = 0


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(admin.ModelAdmin):
    list_display = ["member", "team", "flagged_month", "deadline", "outcome", "outcome_on"]
    list_filter = ["outcome"]
    raw_id_fields = ["team", "member"]
    inlines = [PlanCheckInInline]


@admin.register(Celebration)
class CelebrationAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "kind", "month", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["team", "member", "metric"]
