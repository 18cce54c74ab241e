"""The people behind the funnel as CSV, one row per person per webinar, through the reports'
formula-safe writer. Times are in the zone named in the column headings."""

from django.utils import timezone

from ..export import to_csv
from .selectors import REVENUE_DAYS, FunnelPerson, money


def funnel_csv(people: list[FunnelPerson], *, zone) -> str:
    zone_name = str(zone)

    def local(moment) -> str:
        return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    header = [
        "Webinar",
        f"Session ({zone_name})",
        "Name",
        "Email",
        "Company",
        "Seat",
        "Attended",
        "Minutes attended",
        f"Registered ({zone_name})",
        f"Newsletter subscriber since ({zone_name})",
        f"Bought or got a seat ({zone_name})",
        "How",
        "Days after the session",
        f"Paid within {REVENUE_DAYS} days (net of refunds)",
    ]
    rows = []
    for p in people:
        paid: dict[str, int] = {}
        for payer in p.payments:
            paid[payer.currency] = paid.get(payer.currency, 0) + payer.net
        rows.append(
            [
                p.webinar if p.via_webinar else "(no webinar: newsletter subscriber)",
                local(p.session_starts_at) if p.via_webinar else "",
                p.name,
                p.email,
                p.company,
                ("Seated" if p.seated else "Waitlisted") if p.via_webinar else "",
                ("yes" if p.attended else "no") if p.via_webinar else "",
                "" if p.attended_minutes is None else p.attended_minutes,
                local(p.registered_at) if p.via_webinar else "",
                local(p.subscribed_at),
                local(p.converted_at),
                p.converted_how,
                "" if p.days_to_convert is None else p.days_to_convert,
                money(paid) if paid else "",
            ]
        )
    return to_csv(header, rows)
