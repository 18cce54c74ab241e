"""Turn one caching piece off, to measure what it buys (`make bench` does, in process).

`settings.CACHING_OFF` lists the pieces to skip; empty in every real deployment:
- "page_cache": whole anonymous responses (`page_cache.py`),
- "routes": the remembered Site-relative routes and the url_path shortcut (`routing.serve` hands
  every request to Wagtail's own `serve`, which walks the tree),
- "kept_pages": the per-process frozen copies of lesson pages (each request reads its page row),
- "memo": the per-process memo in front of the shared cache (`memo.py`; every read goes to Redis),
- "fetch": the compiled "row by primary key" SQL (`fetch.py`; the ORM builds it each time).
"""

from django.conf import settings

PIECES = ("page_cache", "routes", "kept_pages", "memo", "fetch")


def off(piece: str) -> bool:
    return piece in getattr(settings, "CACHING_OFF", ())
