"""The coach's private notes about one leader (the coach's per-leader page, tracker/coach/leader.py).

Never shown to the leader and not part of the leader's "download my data": they are the coach's
working notes. They are personal data about the leader all the same, so they go when the leader's
account is deleted (CASCADE). A coach account deleted keeps its notes, with no author.
"""

from django.conf import settings
from django.db import models


class CoachNote(models.Model):
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes_about")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # One more at every edit; the edit form carries the version it was opened at, so a stale tab's
    # save is refused (both texts shown) instead of silently overwriting a newer note.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["leader", "-created_at"], name="coach_note_leader_newest")]

    def __str__(self) -> str:
        return f"Note about {self.leader_id}"
