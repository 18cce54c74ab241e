"""Signals other apps listen to.

`account_deleting(sender=User, user=user)` is sent inside the deletion transaction, before the
user row goes. Receivers anonymise or detach rows they must keep (anonymous aggregates, payment
records the law requires) so the cascade that follows removes only personal data.
"""

from django.dispatch import Signal

account_deleting = Signal()
