"""The funnel's purchases and seats in ONE query: the enrollments (bought or a company seat) and
the paid or refunded payments, each row flagged as a registrant's (matched by account or email)
and/or as a newsletter subscriber's in the range without a webinar. It replaces four queries (the
registrants' enrollments and payments, the subscribers' enrollments and payments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Lower

from home.newsletter.models import NewsletterSubscriber
from program.models import Enrollment
from program.payments.models import Payment

CONVERTING_SOURCES = (Enrollment.Source.STRIPE, Enrollment.Source.SEAT)  # not the coach's manual grants
SETTLED = (Payment.Status.PAID, Payment.Status.REFUNDED)
COLUMNS = (
    "pk",
    "email_l",
    "f_name",
    "f_at",
    "f_source",
    "f_quantity",
    "f_amount",
    "f_refunded",
    "f_currency",
    "f_subscribed",
    "f_matched",
    "f_direct",
)


@dataclass(frozen=True)
class Event:
    """An enrollment (`source` set) or a payment (`amount` set)."""

    pk: int
    email: str
    name: str
    at: datetime
    source: str | None
    quantity: int | None
    amount: int | None
    refunded: int | None
    currency: str | None
    subscribed_at: datetime | None  # the subscriber's confirmation, on direct rows only
    matched: bool  # a registrant's (by account or email)
    direct: bool  # a subscriber's, in the range, after subscribing, without registering

    @property
    def is_payment(self) -> bool:
        return self.amount is not None


def _null(field) -> Cast:
    return Cast(Value(None), output_field=field)


def _subscribed() -> Subquery:
    return Subquery(
        NewsletterSubscriber.objects.annotate(email_l=Lower("email"))
        .filter(email_l=OuterRef("email_l"), confirmed_at__isnull=False)
        .values("confirmed_at")[:1]
    )


def _part(qs, *, at: str, match: Q, since: datetime | None, until: datetime | None, registered, **fields):
    qs = qs.annotate(email_l=Lower("user__email"), f_name=F("user__full_name"), f_at=F(at))
    wanted = match
    if since is None:
        qs = qs.annotate(f_subscribed=_null(DateTimeField()), f_direct=Cast(Value(False), BooleanField()))
    else:
        direct = Q(f_at__gte=since, f_at__lt=until, f_subscribed__lte=F("f_at")) & ~Q(email_l__in=registered)
        qs = qs.annotate(f_subscribed=_subscribed())
        qs = qs.annotate(f_direct=ExpressionWrapper(direct, output_field=BooleanField()))
        wanted = match | direct
    qs = qs.annotate(f_matched=ExpressionWrapper(match, output_field=BooleanField()), **fields)
    return qs.filter(wanted).order_by().values_list(*COLUMNS)


def funnel_events(
    *, user_ids, emails, registered, since: datetime | None = None, until: datetime | None = None
) -> list[Event]:
    """Every converting enrollment and settled payment of the registrants (`user_ids`, `emails`:
    subqueries of the registrations), and, when `since` is given, of the confirmed newsletter
    subscribers who got one in [since, until) after subscribing and are not in `registered` (the
    registrations' lower-cased emails). One query (a UNION ALL), oldest first."""
    match = Q(user_id__in=user_ids) | Q(email_l__in=emails)
    text, number = CharField(), IntegerField()
    enrollments = _part(
        Enrollment.objects.filter(source__in=CONVERTING_SOURCES),
        at="enrolled_at",
        match=match,
        since=since,
        until=until,
        registered=registered,
        f_source=F("source"),
        f_quantity=_null(number),
        f_amount=_null(number),
        f_refunded=_null(number),
        f_currency=_null(text),
    )
    payments = _part(
        Payment.objects.filter(status__in=SETTLED),
        at="created_at",
        match=match,
        since=since,
        until=until,
        registered=registered,
        f_source=_null(text),
        f_quantity=F("quantity"),
        f_amount=F("amount"),
        f_refunded=F("amount_refunded"),
        f_currency=F("currency"),
    )
    rows = [Event(*row[:-2], bool(row[-2]), bool(row[-1])) for row in enrollments.union(payments, all=True)]
    rows.sort(key=lambda e: (e.at, e.is_payment, e.pk))
    return rows
