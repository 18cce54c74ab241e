"""Writes for the coach's private notes about a leader: add, edit (versioned), delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from ..models import CoachNote


class CoachNoteConflict(ValidationError):
    """The note was edited (or deleted) since the form was opened: nothing was written."""

    def __init__(self, saved: CoachNote | None):
        self.saved = saved
        super().__init__(
            "This note was changed in another tab or by another coach since you opened it. "
            "Its saved text is shown below your text; save again to keep yours."
            if saved
            else "This note was deleted since you opened it; your text was not saved."
        )


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write something to keep as a note."})
    return text


@transaction.atomic
def coach_note_add(*, leader, author, text: str) -> CoachNote:
    note = CoachNote(leader=leader, author=author, text=_clean(text))
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def coach_note_edit(*, leader, note_id: int, text: str, version: int) -> CoachNote:
    """Save `text` over the note if it is still at `version` (the one the form was opened at);
    otherwise raise CoachNoteConflict with the saved note (None when it was deleted)."""
    note = CoachNote.objects.select_for_update().filter(pk=note_id, leader=leader).first()
    if note is None or note.version != version:
        raise CoachNoteConflict(note)
    note.text = _clean(text)
    note.version += 1
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def coach_note_delete(*, leader, note_id: int) -> None:
    deleted, _ = CoachNote.objects.filter(pk=note_id, leader=leader).delete()
    if not deleted:
        raise Http404("No such note about this leader.")
