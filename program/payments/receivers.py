"""The program page shows the seat price tiers, and anonymous pages are cached: a tier saved or
deleted forgets the cached pages (the caching contract in home/core/caching/__init__.py)."""

from django.db.models.signals import post_delete, post_save

from home.core.caching.page_cache import bump_page_cache

from .models import SeatPriceTier


def tier_changed(sender, **kwargs) -> None:
    bump_page_cache()


post_save.connect(tier_changed, sender=SeatPriceTier, dispatch_uid="payments-tier-saved")
post_delete.connect(tier_changed, sender=SeatPriceTier, dispatch_uid="payments-tier-deleted")
