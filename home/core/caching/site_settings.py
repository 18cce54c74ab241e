"""Wagtail site settings (`BaseSiteSetting`) kept per Site under the settings version, and read with
the Sites.

Every page shows the site settings (title, header, footer): Wagtail reads them with one query per
request (`BaseSiteSetting.for_site`). A setting model with `KeptSiteSettingMixin` is kept in the
shared cache (and this process's memo) under `SETTING_KEY`, which carries the settings version
(`versions.SETTINGS_VERSION_KEY`, moved now and after commit on every save or delete of any site
setting), so a saved setting shows on the very next request. A cold request does not read them on
their own: `routing.read_sites` joins every kept setting model to the Sites (Django's reverse
one-to-one `select_related`) and keeps what it found for every Site (`entries_for`), one query for
the Sites and their settings together. A Site with no settings row yet is left to Wagtail's
`for_site`, which creates it.

Kept as primitives (frozen.py) and thawed into a new instance for each call: Wagtail's
`for_request` writes to the instance it gets (`_request`), so none is shared between requests.
"""

from __future__ import annotations

from wagtail.contrib.settings.models import BaseSiteSetting

from . import memo
from .frozen import Frozen, freeze, thaw
from .versions import SETTINGS_VERSION_KEY, current_version

SETTING_KEY = "home:site-settings:{label}:{site_id}:{version}"
SECONDS = 3600


def setting_key(model, site_id, version) -> str:
    return SETTING_KEY.format(label=model._meta.label_lower, site_id=site_id, version=version)


class KeptSiteSettingMixin:
    """For `BaseSiteSetting` models: `for_site` from the shared cache, filled with the Sites."""

    @classmethod
    def for_site(cls, site):
        key = setting_key(cls, site.pk, current_version(SETTINGS_VERSION_KEY))
        kept = memo.get(key)
        if kept is None:
            instance = super().for_site(site)
            memo.set(key, freeze(instance), SECONDS)
            return instance
        return thaw(kept)  # a new instance per call: Wagtail's for_request writes to it


def kept_models() -> list[type]:
    """The concrete site-setting models that keep their instances here."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, KeptSiteSettingMixin) and issubclass(model, BaseSiteSetting)
    ]


def _accessor(model) -> tuple[str, str]:
    """(the name `select_related` takes on Site, the attribute a Site keeps it under)."""
    field = model._meta.get_field("site")
    return field.related_query_name(), field.remote_field.get_accessor_name()


def joins() -> list[str]:
    """What `Site.objects.select_related` reads the kept settings with."""
    return [_accessor(model)[0] for model in kept_models()]


def entries_for(sites) -> dict[str, Frozen]:
    """The kept settings of `sites` (read with `joins()`), by their keys under the current version."""
    version = current_version(SETTINGS_VERSION_KEY)
    entries = {}
    for model in kept_models():
        attribute = _accessor(model)[1]
        for site in sites:
            try:
                instance = getattr(site, attribute)
            except model.DoesNotExist:
                continue  # no row yet: Wagtail's for_site makes it
            entries[setting_key(model, site.pk, version)] = freeze(instance)
    return entries
