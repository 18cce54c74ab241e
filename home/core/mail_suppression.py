"""Addresses we must never mail again (a hard bounce, a spam complaint, an unsubscribe reported by
the email provider). The one place all mail passes is the email backend, so the check lives in
`SuppressingBackend`, which wraps the real backend (`EMAIL_DELIVERY_BACKEND`: SMTP, console or an
anymail provider). The list itself is an app's model: that app registers its lookup here
(`register_suppression_lookup`), since home.core imports no app.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.dispatch import Signal

logger = logging.getLogger("home.core.mail")
_lookups: list[Callable[..., set[str]]] = []

# Sent by the app that records a suppression: (email, reason). Lists may react (the newsletter
# unsubscribes the address, so the coach's counts stay exact).
email_suppressed = Signal()


def register_suppression_lookup(lookup: Callable[..., set[str]]) -> None:
    """`lookup(addresses, account_mail=False)` returns those of the (lower-cased) addresses that
    are suppressed; with `account_mail` only those that must not get even the account's own mail."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def suppressed_addresses(addresses: Iterable[str], *, account_mail: bool = False) -> set[str]:
    wanted = {_address(a) for a in addresses if a}
    found: set[str] = set()
    for lookup in _lookups if wanted else []:
        found |= lookup(wanted, account_mail=account_mail)
    return found


def _address(value: str) -> str:
    from email.utils import parseaddr

    return parseaddr(value)[1].strip().lower()


class SuppressingBackend(BaseEmailBackend):
    """Drops suppressed recipients from every message, then hands it to the real backend. A
    message left with nobody is not sent (and counts as handled, so senders' ledgers move on).
    A message with `suppression_checked = True` was checked by its sender (a bulk send that looks
    up its whole batch with `suppressed_addresses` in one query) and is passed on as it is. A
    message with `account_mail = True` (allauth's confirmation and reset mail, which the person
    asked for just now) is held back only by the provider's reports, not by "account deleted"."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs)

    @property
    def honours_before_handover(self) -> bool:
        return getattr(self.inner, "honours_before_handover", False)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        messages = list(email_messages or [])
        # A bulk sender that checked its whole batch at once marks its messages (one query per batch).
        unchecked = [m for m in messages if not getattr(m, "suppression_checked", False)]
        account = [m for m in unchecked if getattr(m, "account_mail", False)]
        blocked_other = suppressed_addresses(a for m in unchecked if m not in account for a in m.recipients())
        blocked_account = suppressed_addresses((a for m in account for a in m.recipients()), account_mail=True)
        keep, skipped = [], 0
        for message in messages:
            blocked = blocked_account if getattr(message, "account_mail", False) else blocked_other
            if blocked and not getattr(message, "suppression_checked", False):
                message.to = [a for a in message.to if _address(a) not in blocked]
                message.cc = [a for a in message.cc if _address(a) not in blocked]
                message.bcc = [a for a in message.bcc if _address(a) not in blocked]
            if message.recipients():
                keep.append(message)
            else:
                skipped += 1
        if skipped:
            logger.info("not sent to %d suppressed address(es)", skipped)
        return (self.inner.send_messages(keep) if keep else 0) + skipped
