"""The coach's page about one leader, with her private notes (add, edit with a version, delete).

The coach's only (accounts.roles.is_coach): anyone else, the leader included, gets 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ..rules import STEPS
from .leader import leader_overview
from .notes import CoachNoteConflict, coach_note_add, coach_note_delete, coach_note_edit
from .views import _coach_only


class CoachNoteForm(forms.Form):
    text = forms.CharField(label="Note", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    # The version of the note the form was opened at: a save over a newer text shows both.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


@login_required
def leader_page(request, leader_id: int):
    """GET: the page. POST: action=add|edit|delete a note, then back to the page (400/409 with the
    form when it cannot be saved)."""
    _coach_only(request)
    add_form, conflict, editing = CoachNoteForm(), None, {}
    status = 200
    if request.method == "POST":
        leader = get_object_or_404(get_user_model(), pk=leader_id)
        action, note_id = request.POST.get("action"), _int(request.POST.get("note"))
        if action == "delete" and note_id:
            coach_note_delete(leader=leader, note_id=note_id)
            messages.success(request, "Note deleted.")
            return redirect(request.path)
        auto_id = f"note{note_id}-%s" if action == "edit" else "id_%s"
        form = CoachNoteForm(request.POST, auto_id=auto_id)
        if action in ("add", "edit") and form.is_valid():
            try:
                if action == "add":
                    coach_note_add(leader=leader, author=request.user, text=form.cleaned_data["text"])
                    messages.success(request, "Note kept.")
                    return redirect(request.path)
                if note_id and form.cleaned_data["version"] is not None:
                    coach_note_edit(
                        leader=leader,
                        note_id=note_id,
                        text=form.cleaned_data["text"],
                        version=form.cleaned_data["version"],
                    )
                    messages.success(request, "Note saved.")
                    return redirect(request.path)
                form.add_error(None, "That edit did not say which note and version it was about.")
            except CoachNoteConflict as exc:
                conflict = exc.saved
                data = request.POST.copy()
                if conflict is not None:
                    data["version"] = str(conflict.version)  # saving again now keeps this text
                form = CoachNoteForm(data, auto_id=auto_id)
                form.is_valid()
                form.add_error(None, exc.messages[0])
                status = 409
            except ValidationError as exc:
                form.add_error("text" if hasattr(exc, "error_dict") else None, exc.messages[0])
        if status == 200:
            status = 400
        if action == "edit" and note_id:
            editing = {"note_id": note_id, "form": form, "saved": conflict}
        else:
            add_form = form
    page = leader_overview(leader_id=leader_id)
    context = {
        "page": page,
        "leader": page.leader,
        "steps": STEPS,
        "add_form": add_form,
        "editing": editing,
        "edit_forms": [
            (note, editing["form"] if editing.get("note_id") == note.pk else _edit_form(note)) for note in page.notes
        ],
    }
    if editing and not any(note.pk == editing["note_id"] for note in page.notes):
        context["orphan_edit"] = editing  # the note was deleted meanwhile: show the text so it is not lost
    return render(request, "tracker/coach/leader.html", context, status=status)


def _edit_form(note) -> CoachNoteForm:
    return CoachNoteForm(initial={"text": note.text, "version": note.version}, auto_id=f"note{note.pk}-%s")
