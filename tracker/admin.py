from django.contrib import admin

from .models import TrackerAccess


@admin.register(TrackerAccess)
class TrackerAccessAdmin(admin.ModelAdmin):
    """The coach gives a free trial of the tracker to someone who is not enrolled."""

    list_display = ["user", "expires_on", "note", "created_at"]
    search_fields = ["user__email", "user__full_name", "note"]
    raw_id_fields = ["user"]


from . import review_admin  # noqa: E402,F401  (tracker part 2)
