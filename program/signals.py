"""Signals other parts of Huddle listen to.

program_completed(sender=Enrollment, enrollment=...) is sent once, inside the transaction
that first records `Enrollment.completed_at`. Listeners (certificates) should queue their work
with transaction.on_commit.
"""

from django.dispatch import Signal

program_completed = Signal()
enrollment_revoked = Signal()  # sender=Enrollment, enrollment=..., reason=...
