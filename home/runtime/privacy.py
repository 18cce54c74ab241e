"""Mail to a deleted account's addresses stops, including mail already queued when the account
went: every verified address of the account becomes an "account deleted" suppression, kept only
as a hash (sha256 of the lower-cased address), and the email backend drops messages to it at
send time. A row the provider reported for the address (a bounce) is replaced by the hashed one,
so the address itself is not kept. Confirming the address on a new account lifts the suppression:
the person chose to hear from us again."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from accounts.signals import account_deleting

from .models import EmailSuppression
from .suppression import address_hash


def runtime_account_deleting(sender, user, **kwargs) -> None:
    """Suppress the account's verified addresses (an unconfirmed one proves nothing about whose it
    is, so mail to it is left alone)."""
    addresses = {
        a.strip().lower() for a in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    if not addresses:
        return
    EmailSuppression.objects.filter(email__in=addresses).delete()
    for address in sorted(addresses):
        EmailSuppression.objects.update_or_create(
            email_hash=address_hash(address),
            defaults={"email": None, "reason": EmailSuppression.Reason.ACCOUNT_DELETED, "detail": "", "esp": ""},
        )


def runtime_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """A new account confirmed the address: mail may reach it again. Only the "account deleted"
    suppression is lifted; a bounce or complaint reported after it stays."""
    EmailSuppression.objects.filter(
        email_hash=address_hash(email_address.email), reason=EmailSuppression.Reason.ACCOUNT_DELETED
    ).delete()


account_deleting.connect(runtime_account_deleting, dispatch_uid="runtime.privacy")
email_confirmed.connect(runtime_email_confirmed, dispatch_uid="runtime.privacy.confirmed")
