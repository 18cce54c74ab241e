"""Step 2 beyond the meeting room: a signed, read-only team board link for a screen in the sales
office. The leader can revoke it; it expires on its own."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .teams import Team


class TeamBoardLink(models.Model):
    """A read-only board of the team's latest results, opened without an account by whoever holds
    the link. Works only while not revoked and not expired."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="board_links")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Board link for {self.team} until {self.expires_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
