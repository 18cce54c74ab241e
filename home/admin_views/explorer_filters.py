"""The choice lists of the page explorer's filters (Wagtail's `GenericPageFilterSet`: owners, editors,
sites, page types), kept in the shared cache (issue 16): Wagtail reads each from the database
whenever the filter drawer is drawn, four queries on every explorer page.

`keep_filter_choices` gives each of these form fields a choice iterator (Django's documented
`ModelChoiceField.iterator`) that replays the choices Wagtail's own iterator produced, as (value,
label) pairs, from one cache entry for the four lists. The fields still validate and filter
against their querysets, as Wagtail's do. On a miss the lists take two queries: the owners and
the editors in one (`_people_choices`), and the sites; the page types come from Django's
content-type cache. The entry carries `FILTERS_VERSION_KEY` and the active language (page types
are labelled with translated names); the version moves (now and on commit,
home.core.caching.versions) on every save or delete of a page (its owner), a page log entry (the
editors), a user (their displayed name) and a Site.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIteratorValue
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from wagtail.models import Page, PageLogEntry, Site, get_page_models

from home.core.caching.receivers import register_versions
from home.core.caching.versions import bump_versions, current_version

FILTERS_VERSION_KEY = "home:explorer-filters-version"
KEPT_SECONDS = 6 * 3600
KEPT_FIELDS = ("owner", "edited_by", "site", "content_type")


def _key() -> str:
    return f"home:explorer-filters:{current_version(FILTERS_VERSION_KEY)}:{get_language() or '-'}"


class _KeptLists:
    """The kept lists for one form: read (or made, with Wagtail's iterators) on first use."""

    def __init__(self, fields: dict):
        self.fields = fields  # name -> (field, Wagtail's iterator class)
        self.lists: dict | None = None

    def get(self, name: str) -> list:
        if self.lists is None:
            key = _key()
            found = cache.get(key)
            if type(found) is not dict or set(found) != set(self.fields):
                found = _people_choices(self.fields)
                for name, (field, iterator) in self.fields.items():
                    if name not in found:
                        found[name] = _choices(field, iterator)
                cache.set(key, found, KEPT_SECONDS)
            self.lists = found
        return self.lists[name]


def _people_choices(fields: dict) -> dict:
    """The owners' and the editors' lists (two user queries in Wagtail) in one query: the users of
    either queryset, in the user model's order, each marked with the lists it belongs to."""
    if not {"owner", "edited_by"} <= set(fields):
        return {}
    owner, editor = fields["owner"][0], fields["edited_by"][0]
    users = (owner.queryset | editor.queryset).annotate(
        _huddle_owner=Exists(owner.queryset.filter(pk=OuterRef("pk"))),
        _huddle_editor=Exists(editor.queryset.filter(pk=OuterRef("pk"))),
    )
    found = {"owner": [], "edited_by": []}
    for user in users:
        for name, field, member in (("owner", owner, user._huddle_owner), ("edited_by", editor, user._huddle_editor)):
            if member:
                found[name].append((str(field.prepare_value(user)), str(field.label_from_instance(user))))
    return found


def _choices(field, iterator) -> list[tuple[str, str]]:
    if field.queryset.model is ContentType:
        return _page_type_choices(field)
    pairs = []
    for value, label in iterator(field):
        if isinstance(value, ModelChoiceIteratorValue):
            value = value.value
        pairs.append((str(value), str(label)))
    return pairs


def _page_type_choices(field) -> list[tuple[str, str]]:
    """Wagtail's page types for this filter (`get_page_content_types(include_base_page_type=False)`,
    ordered by model name as its query is) from Django's per-process content-type cache: no query."""
    models = [model for model in get_page_models() if model is not Page]
    types = sorted(ContentType.objects.get_for_models(*models).values(), key=lambda content_type: content_type.model)
    return [(str(content_type.pk), str(field.label_from_instance(content_type))) for content_type in types]


class KeptChoiceIterator(BaseChoiceIterator):
    def __init__(self, kept: _KeptLists, name: str):
        self.kept, self.name = kept, name

    def __iter__(self):
        yield from self.kept.get(self.name)

    def __len__(self):
        return len(self.kept.get(self.name))


def keep_filter_choices(form) -> None:
    """Give the form's owner, editor, site and page-type fields their kept choices."""
    fields = {name: form.fields[name] for name in KEPT_FIELDS if hasattr(form.fields.get(name), "iterator")}
    kept = _KeptLists({name: (field, field.iterator) for name, field in fields.items()})
    for name, field in fields.items():
        field.iterator = lambda field, name=name: KeptChoiceIterator(kept, name)
        field.widget.choices = field.choices


def explorer_filters_changed() -> None:
    bump_versions(FILTERS_VERSION_KEY)


def connect() -> None:
    """Rows of the version table (home.core.caching.receivers): any page type (its owner), a page
    log entry (the editors), a user (their displayed name), a Site."""
    for model in (Page, PageLogEntry, settings.AUTH_USER_MODEL, Site):
        register_versions(model, FILTERS_VERSION_KEY)
