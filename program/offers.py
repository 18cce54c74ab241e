"""Time-limited discount offers, issued by whichever app handles payments.

The webinar follow-up asks for an offer; program.payments issues it as a Stripe promotion code.
Nested apps never import each other, so payments registers its issuer here in its
`AppConfig.ready()` (told, not asked). Without payments set up, no offer is made.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Offer:
    code: str  # what the buyer types at checkout
    expires_at: datetime
    percent_off: int
    reference: str  # the provider's id (a Stripe promotion code id)


OfferIssuer = Callable[..., Offer | None]
_issuers: list[OfferIssuer] = []


def register_offer_issuer(issuer: OfferIssuer) -> None:
    if issuer not in _issuers:
        _issuers.append(issuer)


def offer_issue(*, key: str, email: str, percent_off: int, expires_at: datetime) -> Offer | None:
    """A single-use code for `percent_off` % until `expires_at`, or None when no issuer can make
    one (payments off). `key` makes a retry return the same code instead of a second one."""
    for issuer in _issuers:
        offer = issuer(key=key, email=email, percent_off=percent_off, expires_at=expires_at)
        if offer is not None:
            return offer
    return None
