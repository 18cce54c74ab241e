"""Django admin for tracker part 2 (loaded from tracker/admin.py)."""

from django.contrib import admin

from .review_models import ActionItem, Celebration, ConsistencySettings, ImprovementPlan, OneOnOne, PlanCheckIn


@admin.register(ConsistencySettings)
class ConsistencySettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "threshold_percent", "publish_within_days", "review_within_days", "act_within_days"]
    raw_id_fields = ["team"]


@admin.register(OneOnOne)
class OneOnOneAdmin(admin.ModelAdmin):
    """Notes are private to the leader: the admin lists 1:1s without them."""

    list_display = ["member", "team", "month", "scheduled_at", "held_at", "discussed_gap"]
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
