"""The webinar funnel as it was read before issue 16 folded its queries (seven: a query per table),
kept verbatim as the reference the combined query is compared with (tests/lessons/test_funnel_same.py)."""

# ruff: noqa
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from home.newsletter.models import NewsletterSubscriber
from program.models import Enrollment
from program.payments.models import Payment
from program.webinars.models import WebinarPage, WebinarRegistration

WINDOWS = (30, 60, 90)  # days after the session in which a purchase or seat counts
REVENUE_DAYS = WINDOWS[-1]
ALL = "all"  # the key of the "All webinars" row

# Stages in funnel order: (key, label). Every count in the report is one of these.
STAGES = (
    ("registered", "Registered"),
    ("seated", "Had a seat"),
    ("waitlisted", "Waitlisted only"),
    ("attended", "Attended"),
    ("enrolled_30", "Bought or got a seat within 30 days"),
    ("enrolled_60", "Bought or got a seat within 60 days"),
    ("enrolled_90", "Bought or got a seat within 90 days"),
    ("paid", f"Paid within {REVENUE_DAYS} days"),
    ("subscriber", "Newsletter subscribers who registered"),
    ("subscriber_enrolled", "Newsletter subscribers who bought or got a seat (90 days)"),
    ("subscriber_direct", "Newsletter subscribers who bought or got a seat without a webinar"),
)
STAGE_LABELS = dict(STAGES)
CONVERTING_SOURCES = (Enrollment.Source.STRIPE, Enrollment.Source.SEAT)  # not the coach's manual grants


@dataclass
class Payer:
    payment_id: int
    net: int  # minor units, refunds taken off
    currency: str
    paid_at: datetime

    @property
    def display(self) -> str:
        return money({self.currency: self.net})


@dataclass
class FunnelPerson:
    """One person's way through one webinar."""

    email: str
    name: str
    company: str
    webinar_id: int
    webinar: str
    session_starts_at: datetime
    registered_at: datetime
    seated: bool
    attended: bool
    attended_minutes: int | None
    subscribed_at: datetime | None = None  # confirmed newsletter subscription before registering
    converted_at: datetime | None = None  # first enrollment or payment after registering
    converted_how: str = ""
    payments: list[Payer] = field(default_factory=list)
    # False: a newsletter subscriber who bought or got a seat in the range without registering for
    # any webinar in it (webinar, session, seat and attendance then mean nothing).
    via_webinar: bool = True

    @property
    def days_to_convert(self) -> int | None:
        if self.converted_at is None or not self.via_webinar:
            return None
        return max(0, (self.converted_at - self.session_starts_at).days)

    def converted_within(self, days: int) -> bool:
        return self.converted_at is not None and self.converted_at <= self.session_starts_at + timedelta(days=days)

    def stages(self) -> set[str]:
        if not self.via_webinar:
            return {"subscriber_direct"}
        found = {"registered", "seated" if self.seated else "waitlisted"}
        if self.attended:
            found.add("attended")
        for days in WINDOWS:
            if self.converted_within(days):
                found.add(f"enrolled_{days}")
        if self.payments:
            found.add("paid")
        if self.subscribed_at:
            found.add("subscriber")
            if self.converted_within(WINDOWS[-1]):
                found.add("subscriber_enrolled")
        return found


@dataclass
class FunnelRow:
    key: str  # the webinar id as text, or ALL
    title: str
    people: dict[str, list[FunnelPerson]]  # stage -> people
    revenue: dict[str, int]  # currency -> minor units

    def count(self, stage: str) -> int:
        return len(self.people.get(stage, ()))

    @property
    def counts(self) -> dict[str, int]:
        return {key: self.count(key) for key, _ in STAGES}

    @property
    def revenue_display(self) -> str:
        return money(self.revenue)


@dataclass
class FunnelReport:
    start: dt.date
    end: dt.date  # inclusive
    zone_name: str
    webinar_id: int | None
    webinars: list[dict]  # {"id", "title"} for the filter
    rows: list[FunnelRow]  # one per webinar with people in the range, then ALL
    people: list[FunnelPerson]  # everyone, once per webinar, by session date
    months: list[dt.date]
    by_month: dict[dt.date, dict[str, int]]  # month -> registered / attended / enrolled_90

    @property
    def total(self) -> FunnelRow:
        return self.rows[-1]

    def row(self, key: str) -> FunnelRow | None:
        return next((row for row in self.rows if row.key == key), None)


def money(amounts: dict[str, int]) -> str:
    if not amounts:
        return "0.00"
    return ", ".join(f"{cents / 100:,.2f} {currency.upper()}" for currency, cents in sorted(amounts.items()))


def _day_start(day: dt.date, zone) -> datetime:
    return timezone.make_aware(datetime.combine(day, dt.time.min), zone)


def funnel_webinars() -> list[dict]:
    """Every webinar's id and title, for the report's filter (one query)."""
    return list(WebinarPage.objects.order_by("title").values("id", "title"))


def funnel_report(
    *, start: dt.date, end: dt.date, webinar_id: int | None = None, zone=None, webinars: list[dict] | None = None
) -> FunnelReport:
    """The funnel for sessions starting from `start` to `end` (whole days in `zone`, by default
    the current one), for one webinar or all. Seven queries (six when `webinars` is given, as
    `funnel_webinars()` returns it; five for one webinar), whatever the range holds."""
    zone = zone or timezone.get_current_timezone()
    webinars = funnel_webinars() if webinars is None else webinars  # 1
    registrations = WebinarRegistration.objects.filter(
        session__starts_at__gte=_day_start(start, zone),
        session__starts_at__lt=_day_start(end + timedelta(days=1), zone),
        status__in=[WebinarRegistration.Status.REGISTERED, WebinarRegistration.Status.WAITLISTED],
    )
    if webinar_id is not None:
        registrations = registrations.filter(session__page_id=webinar_id)
    people = _people(registrations)  # 2
    emails = registrations.values("email")
    user_ids = registrations.filter(user_id__isnull=False).values("user_id")
    _add_conversions(people, emails, user_ids)  # 3, 4
    _add_subscriptions(people, emails)  # 5
    direct: list[FunnelPerson] = []
    if webinar_id is None:
        direct = _subscribers_without_webinar(
            since=_day_start(start, zone), until=_day_start(end + timedelta(days=1), zone), registrations=registrations
        )  # 6, 7
    rows = _rows(people, webinars, direct)
    months = _months(start, end)
    by_month: dict[dt.date, dict[str, int]] = {m: {"registered": 0, "attended": 0, "enrolled_90": 0} for m in months}
    for person in people:
        local = timezone.localtime(person.session_starts_at, zone).date().replace(day=1)
        if local in by_month:
            for stage in person.stages() & by_month[local].keys():
                by_month[local][stage] += 1
    return FunnelReport(
        start=start,
        end=end,
        zone_name=str(zone),
        webinar_id=webinar_id,
        webinars=webinars,
        rows=rows,
        people=sorted(people, key=lambda p: (p.session_starts_at, p.name.lower(), p.email))
        + sorted(direct, key=lambda p: (p.converted_at, p.name.lower(), p.email)),
        months=months,
        by_month=by_month,
    )


def _people(registrations) -> list[FunnelPerson]:
    found: dict[tuple[str, int], FunnelPerson] = {}
    rows = registrations.annotate(
        webinar_id=F("session__page_id"), webinar=F("session__page__title"), starts_at=F("session__starts_at")
    ).order_by("session__starts_at", "created_at", "pk")
    for r in rows.values(
        "email",
        "name",
        "company",
        "webinar_id",
        "webinar",
        "starts_at",
        "created_at",
        "status",
        "attended_at",
        "attended_minutes",
    ):
        email = r["email"].lower()
        seated = r["status"] == WebinarRegistration.Status.REGISTERED
        person = found.get((email, r["webinar_id"]))
        if person is None:
            found[(email, r["webinar_id"])] = FunnelPerson(
                email=email,
                name=r["name"],
                company=r["company"],
                webinar_id=r["webinar_id"],
                webinar=r["webinar"],
                session_starts_at=r["starts_at"],
                registered_at=r["created_at"],
                seated=seated,
                attended=r["attended_at"] is not None,
                attended_minutes=r["attended_minutes"],
            )
            continue
        person.seated = person.seated or seated
        person.registered_at = min(person.registered_at, r["created_at"])
        if r["attended_at"] is not None and not person.attended:
            person.attended, person.attended_minutes = True, r["attended_minutes"]
    return list(found.values())


def _add_conversions(people: list[FunnelPerson], emails, user_ids) -> None:
    """Each person's first enrollment (bought or a company seat) or payment after registering,
    and their payments up to REVENUE_DAYS after their session (matched by account or email)."""
    match = Q(user_id__in=user_ids) | Q(email_l__in=emails)
    events: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    enrollments = (
        Enrollment.objects.annotate(email_l=Lower("user__email"))
        .filter(match, source__in=CONVERTING_SOURCES)
        .values_list("email_l", "enrolled_at", "source")
    )
    for email, enrolled_at, source in enrollments:
        events[email].append((enrolled_at, Enrollment.Source(source).label))
    payers: dict[str, list[Payer]] = defaultdict(list)
    payments = (
        Payment.objects.annotate(email_l=Lower("user__email"))
        .filter(match, status__in=[Payment.Status.PAID, Payment.Status.REFUNDED])
        .values_list("pk", "email_l", "created_at", "amount", "amount_refunded", "currency", "quantity")
    )
    for pk, email, created_at, amount, refunded, currency, quantity in payments:
        payers[email].append(Payer(payment_id=pk, net=amount - refunded, currency=currency, paid_at=created_at))
        events[email].append((created_at, "Bought seats" if quantity > 1 else "Bought"))
    for person in people:
        later = sorted(e for e in events.get(person.email, ()) if e[0] >= person.registered_at)
        if later:
            person.converted_at, person.converted_how = later[0]
        until = person.session_starts_at + timedelta(days=REVENUE_DAYS)
        person.payments = [p for p in payers.get(person.email, ()) if person.registered_at <= p.paid_at <= until]


def _add_subscriptions(people: list[FunnelPerson], emails) -> None:
    subscribed = dict(
        NewsletterSubscriber.objects.annotate(email_l=Lower("email"))
        .filter(email_l__in=emails, confirmed_at__isnull=False)
        .values_list("email_l", "confirmed_at")
    )
    for person in people:
        since = subscribed.get(person.email)
        if since is not None and since <= person.registered_at:
            person.subscribed_at = since


def _subscribers_without_webinar(*, since: datetime, until: datetime, registrations) -> list[FunnelPerson]:
    """Confirmed newsletter subscribers whose first purchase or seat in [since, until) came after
    they subscribed, and who registered for no webinar in the range (two queries)."""
    subscribed = Subquery(
        NewsletterSubscriber.objects.annotate(email_l=Lower("email"))
        .filter(email_l=OuterRef("email_l"), confirmed_at__isnull=False)
        .values("confirmed_at")[:1]
    )
    registered = registrations.annotate(email_l=Lower("email")).values("email_l")
    found: dict[str, FunnelPerson] = {}

    def person(email: str, name: str, at: datetime, how: str, subscribed_at: datetime) -> FunnelPerson:
        p = found.get(email)
        if p is None:
            p = found[email] = FunnelPerson(
                email=email,
                name=name or email,
                company="",
                webinar_id=0,
                webinar="",
                session_starts_at=at,
                registered_at=at,
                seated=False,
                attended=False,
                attended_minutes=None,
                subscribed_at=subscribed_at,
                via_webinar=False,
            )
        if p.converted_at is None or (at, how) < (p.converted_at, p.converted_how):  # as sorted() in the webinars
            p.converted_at, p.converted_how, p.session_starts_at, p.registered_at = at, how, at, at
        return p

    def in_range(qs, at: str):
        return (
            qs.annotate(email_l=Lower("user__email"), subscribed=subscribed)
            .filter(**{f"{at}__gte": since, f"{at}__lt": until, "subscribed__lte": F(at)})
            .exclude(email_l__in=registered)
        )

    enrollments = in_range(Enrollment.objects.filter(source__in=CONVERTING_SOURCES), "enrolled_at")
    for email, name, at, source, sub_at in enrollments.values_list(
        "email_l", "user__full_name", "enrolled_at", "source", "subscribed"
    ):
        person(email, name, at, Enrollment.Source(source).label, sub_at)
    payments = in_range(Payment.objects.filter(status__in=[Payment.Status.PAID, Payment.Status.REFUNDED]), "created_at")
    for pk, email, name, at, amount, refunded, currency, quantity, sub_at in payments.order_by(
        "created_at"
    ).values_list(
        "pk",
        "email_l",
        "user__full_name",
        "created_at",
        "amount",
        "amount_refunded",
        "currency",
        "quantity",
        "subscribed",
    ):
        p = person(email, name, at, "Bought seats" if quantity > 1 else "Bought", sub_at)
        p.payments.append(Payer(payment_id=pk, net=amount - refunded, currency=currency, paid_at=at))
    return list(found.values())


def _rows(people: list[FunnelPerson], webinars: list[dict], direct: list[FunnelPerson]) -> list[FunnelRow]:
    by_webinar: dict[int, list[FunnelPerson]] = defaultdict(list)
    for person in people:
        by_webinar[person.webinar_id].append(person)
    rows = [_row(str(w["id"]), w["title"], by_webinar[w["id"]]) for w in webinars if by_webinar.get(w["id"])]
    rows.append(_row(ALL, "All webinars", people + direct, dedupe=True))
    return rows


def _row(key: str, title: str, people: list[FunnelPerson], *, dedupe: bool = False) -> FunnelRow:
    stages: dict[str, list[FunnelPerson]] = defaultdict(list)
    seen: dict[str, set[str]] = defaultdict(set)  # stage -> emails already counted (ALL row)
    paid: dict[int, Payer] = {}
    for person in sorted(people, key=lambda p: (p.name.lower(), p.email, p.session_starts_at)):
        for stage in person.stages():
            if dedupe and person.email in seen[stage]:
                continue
            seen[stage].add(person.email)
            stages[stage].append(person)
        for payer in person.payments if person.via_webinar else ():  # revenue is the webinars' only
            paid[payer.payment_id] = payer
    if dedupe:  # a seat for one webinar beats the waitlist of another
        seated = {p.email for p in stages["seated"]}
        stages["waitlisted"] = [p for p in stages["waitlisted"] if p.email not in seated]
    revenue: dict[str, int] = defaultdict(int)
    for payer in paid.values():
        revenue[payer.currency] += payer.net
    return FunnelRow(key=key, title=title, people=dict(stages), revenue=dict(revenue))


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end and len(months) < 36:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months
