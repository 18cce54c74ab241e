"""Version counters of each leader's learning rows: what a cached lesson page body is keyed on.

A leader's lesson page shows their enrollment, progress, unlocks, quiz scores, reflections and
commitments. `lessons.page_body` keeps the rendered body per leader under their counter
(`home.core.caching.versions.LEARNER_VERSION_KEY`) and the counter of every leader
(`LEARNERS_VERSION_KEY`). Every write moves one of them, now and again when the transaction
commits (`bump_versions`), so a request that read the rows before a write can only keep its body
under a number that is already gone:

- a save or delete of one row (Django's `post_save`/`post_delete`, connected by `connect` for each
  model that carries a leader: `Enrollment` here, the lessons app's own models and certificates
  from their apps) moves that leader's counter; a row without a leader (an unlock for everyone)
  moves every leader's;
- a bulk `update()`, `bulk_create()` or `bulk_update()` sends no signal: `LearnerQuerySet` (the
  manager of those models) moves every leader's counter after one; `update_for(user_id, ...)` is
  the update of one leader's rows that moves that leader's counter only.
A bulk `delete()` sends `post_delete` per row (Django does not fast-delete a model with receivers).
Raw SQL that writes these tables must call `learner_changed` itself (the project has none).
"""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_delete, post_save

from home.core.caching.versions import LEARNERS_VERSION_KEY, bump_versions, learner_version_key


def learner_changed(*user_ids) -> None:
    """These leaders' learning rows changed: their cached pages are forgotten (now and on commit)."""
    keys = [learner_version_key(pk) for pk in user_ids if pk is not None]
    if keys:
        bump_versions(*keys)


def learners_changed() -> None:
    """Rows of any number of leaders changed: every cached lesson page body is forgotten."""
    bump_versions(LEARNERS_VERSION_KEY)


class LearnerQuerySet(models.QuerySet):
    """A queryset of rows that carry a leader (`user`): bulk writes move the counters."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            learners_changed()
        return rows

    update.alters_data = True

    def update_for(self, user_id: int, **kwargs) -> int:
        """`filter(user_id=user_id).update(**kwargs)`, moving this leader's counter only."""
        rows = models.QuerySet.update(self.filter(user_id=user_id), **kwargs)
        if rows:
            learner_changed(user_id)
        return rows

    update_for.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            learners_changed()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            learners_changed()
        return rows


def _row_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: no leader to tell apart, nothing cached for fixtures
        learners_changed()
        return
    user_id = getattr(instance, sender._huddle_learner_field)
    if user_id is None:
        learners_changed()
    else:
        learner_changed(user_id)


def connect(model, *, field: str = "user_id") -> None:
    """Move the counters on every save and delete of `model`, whose `field` names the leader."""
    model._huddle_learner_field = field
    uid = f"program.learner_data.{model._meta.label_lower}"
    post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.save")
    post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.delete")
