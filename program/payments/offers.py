"""Offers as Stripe promotion codes: one coupon per discount, one single-use code per person."""

import hashlib
from datetime import datetime

import stripe

from program.offers import Offer, register_offer_issuer

from .services import payments_enabled, stripe_client


def _coupon_ensure(percent_off: int) -> str:
    coupon_id = f"huddle-offer-{percent_off}-off"
    client = stripe_client()
    try:
        client.v1.coupons.retrieve(coupon_id)
    except stripe.InvalidRequestError:
        client.v1.coupons.create(
            params={"id": coupon_id, "percent_off": percent_off, "duration": "once", "name": f"{percent_off}% off"}
        )
    return coupon_id


def promotion_code_issue(*, key: str, email: str, percent_off: int, expires_at: datetime) -> Offer | None:
    """A single-use Stripe promotion code. Stripe's idempotency key (derived from `key`) makes
    a retried call return the code created the first time."""
    if not payments_enabled():
        return None
    suffix = hashlib.sha256(key.encode()).hexdigest()[:8].upper()
    promotion = stripe_client().v1.promotion_codes.create(
        params={
            "promotion": {"type": "coupon", "coupon": _coupon_ensure(percent_off)},
            "code": f"THANKS{suffix}",
            "max_redemptions": 1,
            "expires_at": int(expires_at.timestamp()),
            "metadata": {"offer_key": key, "email": email},
        },
        options={"idempotency_key": f"offer-{key}"},
    )
    return Offer(code=promotion.code, expires_at=expires_at, percent_off=percent_off, reference=promotion.id)


register_offer_issuer(promotion_code_issue)
