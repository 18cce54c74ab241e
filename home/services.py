"""Writes for the coach's site itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Site


def site_address_from_url(url: str) -> tuple[str, int]:
    """(hostname, port) of an absolute http(s) URL; the port defaults by scheme, as Wagtail's
    `Site.root_url` reads it back (443 gives https://host, 80 gives http://host)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{url!r} is not an absolute http:// or https:// address.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValidationError(f"{url!r} must be the site's root address, with no path.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ValidationError(f"{url!r} has a port that is not a number.") from exc
    if parts.scheme == "https" and port == 80 or parts.scheme == "http" and port == 443:
        raise ValidationError(f"{url!r}: Wagtail would read port {port} back as the other scheme.")
    return parts.hostname, port


@transaction.atomic
def site_set_address(*, url: str) -> tuple[Site, bool]:
    """Point the default Wagtail Site at `url` (hostname and port), so previews, sitemaps, emails
    and every absolute link use the real address. Idempotent: returns (site, changed)."""
    hostname, port = site_address_from_url(url)
    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    if site is None:
        raise ValidationError("There is no default Wagtail Site yet: run migrate (and seed_demo) first.")
    if (site.hostname, site.port) == (hostname, port):
        return site, False
    site.hostname, site.port = hostname, port
    site.full_clean()
    site.save()
    return site, True
