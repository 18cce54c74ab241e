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
    _admin_log_anonymise(user)
    User.objects.filter(pk=user.pk).delete()


def _admin_log_anonymise(user) -> None:
    """The Django admin's history of changes *to* this account names it (its email in `object_repr`,
    changed fields in the message). The rows stay, so the coach still sees that an account was
    changed and by whom; the person's name and address go. Rows the person wrote as staff are
    removed with the account (LogEntry.user cascades)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).update(object_repr=f"deleted account #{user.pk}", change_message="")
