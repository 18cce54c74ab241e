"""Writes on accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .signals import account_deleting


@transaction.atomic
def user_delete(*, user) -> None:
    """Delete `user` and every row that cascades from it.

    Sends `accounts.signals.account_deleting` first, in the same transaction, so other apps can
    anonymise what they must keep; if any receiver fails, nothing is deleted. Logging the person
    out is the view's job (it owns the request).
    """
    User = get_user_model()
    account_deleting.send(sender=User, user=user)
    User.objects.filter(pk=user.pk).delete()
