"""What a seat costs: the program's Stripe price, or a volume tier the coach set in the admin.

A tier applies to the company's whole pool after the purchase (5 seats bought now plus 3 bought
earlier price at the "from 8 seats" tier), so buying more never costs more per seat. A tiered
checkout sends Stripe the tier's amount as `price_data`; fulfilment then checks Stripe charged
exactly that amount per seat (Payment.unit_amount), as it checks the price id otherwise.
"""

from dataclasses import dataclass

from wagtail.models import Site

from home.models import SiteSettings, stripe_tax_default
from program.models import ProgramPage

from .models import SeatPriceTier


@dataclass(frozen=True)
class TierRow:
    """One line of the price table shown to buyers: `low`–`high` seats (high None: and more)."""

    low: int
    high: int | None
    price: str


def seat_tiers(*, program: ProgramPage) -> list[SeatPriceTier]:
    return list(SeatPriceTier.objects.filter(program=program).order_by("min_seats"))


def tier_for(*, tiers: list[SeatPriceTier], seats: int) -> SeatPriceTier | None:
    return next((tier for tier in reversed(tiers) if seats >= tier.min_seats), None)


def tier_table(*, program: ProgramPage, tiers: list[SeatPriceTier]) -> list[TierRow]:
    """The price per seat by seat count, starting at one seat, for the offer page (empty: no tiers)."""
    if not tiers:
        return []
    starts = [(1, f"{program.price} {program.currency}")] + [
        (t.min_seats, f"{t.price_per_seat} {program.currency}") for t in tiers if t.min_seats > 1
    ]
    return [
        TierRow(low=low, high=(starts[i + 1][0] - 1) if i + 1 < len(starts) else None, price=price)
        for i, (low, price) in enumerate(starts)
    ]


def stripe_tax_on(*, program: ProgramPage) -> bool:
    """Whether the coach turned Stripe Tax on in the site settings of the program's site."""
    site = program.get_site() or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).stripe_automatic_tax if site else stripe_tax_default()


def checkout_line_item(
    *, program: ProgramPage, quantity: int, pool_after: int, automatic_tax: bool = False
) -> tuple[dict, int]:
    """The Checkout line item for `quantity` seats and the tier's unit amount (0: program price)."""
    tier = tier_for(tiers=seat_tiers(program=program), seats=pool_after)
    if tier is None:
        return {"price": program.stripe_price_id, "quantity": quantity}, 0
    price_data = {
        "currency": program.currency.lower(),
        "unit_amount": tier.unit_amount,
        "product_data": {"name": f"{program.title} (seat)", "metadata": {"program_id": str(program.pk)}},
    }
    if automatic_tax:
        price_data["tax_behavior"] = "exclusive"  # tax is added on top of the tier's price
    return {"price_data": price_data, "quantity": quantity}, tier.unit_amount
