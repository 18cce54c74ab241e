"""Time zone names from outside (a browser, a form, an old row) checked against the zone database.

`zoneinfo.ZoneInfo(name)` raises a different error for each kind of bad name (a directory such as
`America` raises IsADirectoryError), so names are checked against the list of known zones instead.
"""

import functools
import zoneinfo


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_known_zone(name: object) -> bool:
    return isinstance(name, str) and name in _known()


def zone_or_none(name: object) -> zoneinfo.ZoneInfo | None:
    """The zone `name` names, or None when it names none."""
    return zoneinfo.ZoneInfo(name) if is_known_zone(name) else None
