"""The Wagtail locales every admin page lists (`wagtail_config`'s "LOCALES", read by the admin's
JavaScript), kept in the shared cache (issue 16): Wagtail's template tag reads them with one query on
every admin page. `templates/wagtailadmin/admin_base.html` (Wagtail's, one line changed) calls
`{% huddle_wagtail_config %}` (home/templatetags/huddle_admin.py), which builds the same config as
Wagtail's `wagtail_config` tag with the locales from here: their primary keys and language codes, in
Wagtail's order (`Locale.Meta.ordering`), kept under `LOCALES_VERSION_KEY`, which moves (now and on
commit) on every save or delete of a Locale (a bulk update of locales, which sends no signal,
must call `locales_changed()`: the project has none); each request makes its own Locale instances (their
display names follow the request's language, as Wagtail's do).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale

from home.core.caching.versions import bump_versions, current_version

LOCALES_VERSION_KEY = "home:locales-version"
_ENTRY_KEY = "home:locales"
KEPT_SECONDS = 24 * 60 * 60


def locales() -> list[Locale]:
    """`list(Locale.objects.all())`, from the shared cache when kept under the current version."""
    version = current_version(LOCALES_VERSION_KEY)
    entry = cache.get(_ENTRY_KEY)
    if type(entry) is tuple and entry[0] == version:
        rows = entry[1]
    else:
        rows = tuple(Locale.objects.values_list("pk", "language_code"))
        cache.set(_ENTRY_KEY, (version, rows), KEPT_SECONDS)
    return [Locale.from_db("default", ("id", "language_code"), row) for row in rows]


def locales_changed() -> None:
    bump_versions(LOCALES_VERSION_KEY)


def _changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        locales_changed()


def connect() -> None:
    post_save.connect(_changed, sender=Locale, dispatch_uid="home.admin-locales.save")
    post_delete.connect(_changed, sender=Locale, dispatch_uid="home.admin-locales.delete")
