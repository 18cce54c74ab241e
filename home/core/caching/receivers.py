"""The signal receivers that move the caching versions (see the package docstring for the contract).

Imports Django and Wagtail only: site settings are recognised as any subclass of Wagtail's
`BaseSiteSetting`, so no app's models are imported here. `connect()` is called once, from the
`home` AppConfig's ready(); every receiver has a dispatch_uid, so a second call changes nothing.

The version table (`VERSION_TABLE`): for caches kept outside this package, which model's saves and
deletes move which versions, answered by one receiver pair (`table_changed`) instead of one pair per
cache. A row's model is a class (its subclasses match too: any page type, every log model, an
abstract base) or a label ("wagtailcore.Page", `settings.AUTH_USER_MODEL`) resolved on first use,
so this package imports no app: apps add their rows at ready() with `register_versions`. Raw saves
(fixture loading) move nothing; every bump is `bump_versions` (now and again on commit). Rows today:
the explorer's filter choices, the page editor's data and subscriptions, the site history's filters
(home/admin_views/explorer_filters.py, editor_data.py, log_filters.py). To move the admin's kept
permissions (home/admin_views/permissions.py) here, its `connect()` becomes, for each model its
`_changed` watches and for Page (any page type: `_page_changed`),
`register_versions(model, ADMIN_PERMISSIONS_VERSION_KEY)`; its page-move receiver stays (a move is
not a save or delete here).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .page_cache import bump_page_cache
from .routing import bump_routes
from .versions import MENU_VERSION_KEY, SETTINGS_VERSION_KEY, bump_versions

PAGE_SIGNALS = {"publish": page_published, "unpublish": page_unpublished, "move": post_page_move}


def page_changed(sender, instance=None, **kwargs) -> None:
    """A page was published, unpublished, moved or deleted: forget the anonymous pages, the routes
    and the restricted-paths summary (and the Sites when it is a site root, the menu when it is near
    the top)."""
    bump_page_cache()
    # A site's root page carries the url_path every route and URL of its site starts from: sites too.
    bump_routes(sites=isinstance(instance, Page) and _is_site_root(instance))
    if isinstance(instance, Page) and _near_the_top(instance, kwargs):
        bump_versions(MENU_VERSION_KEY)


def _is_site_root(page) -> bool:
    """The top of the tree, or the root of any Site (a second site may be rooted at a program)."""
    return page.depth <= 2 or Site.objects.filter(root_page_id=page.pk).exists()


def _near_the_top(page, kwargs) -> bool:
    """Could this change alter the menu (the site root's children)? Depth 3 or above, or a move
    from or to there."""
    parents = (kwargs.get("parent_page_before"), kwargs.get("parent_page_after"))
    return page.depth <= 3 or any(parent is not None and parent.depth <= 2 for parent in parents)


def restriction_changed(sender, **kwargs) -> None:
    """A view restriction (login, password or groups) was saved or deleted: the restricted-paths
    summary lives under the pages version, and an anonymous copy of the page (or of a page below it)
    may sit in the page cache."""
    bump_routes()
    bump_page_cache()


def site_changed(sender, **kwargs) -> None:
    bump_routes(sites=True)
    bump_versions(MENU_VERSION_KEY)


def settings_changed(sender, instance, **kwargs) -> None:
    """Any site setting saved (not when first made with its defaults: pages already show those) or deleted."""
    if isinstance(instance, BaseSiteSetting) and not kwargs.get("created"):
        bump_versions(SETTINGS_VERSION_KEY)  # the cached settings' key carries it
        bump_routes()  # the footer and menu fragments carry the pages version
        bump_page_cache()


def alias_saved(sender, instance, **kwargs) -> None:
    # A new alias of a restricted page changes which pages its restriction covers.
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        bump_routes()
        bump_page_cache()


# model class or label -> the version keys its saves and deletes move (see the module docstring)
VERSION_TABLE: dict[type | str, tuple[str, ...]] = {}
_by_sender: dict[type, tuple[str, ...]] = {}  # sender class -> its keys, worked out once


def register_versions(model: type | str, *keys: str) -> None:
    """Every save or delete of `model` (a subclass too) moves `keys`; registering again adds keys."""
    VERSION_TABLE[model] = tuple(dict.fromkeys((*VERSION_TABLE.get(model, ()), *keys)))
    _by_sender.clear()


def versions_for(sender: type) -> tuple[str, ...]:
    """The keys a save or delete of `sender` moves: those of every row its class is (a subclass of)."""
    found = _by_sender.get(sender)
    if found is None:
        keys: list[str] = []
        for model, row in list(VERSION_TABLE.items()):
            if issubclass(sender, apps.get_model(model) if isinstance(model, str) else model):
                keys += row
        found = _by_sender[sender] = tuple(dict.fromkeys(keys))
    return found


def table_changed(sender, raw=False, **kwargs) -> None:
    if not raw and isinstance(sender, type):
        keys = versions_for(sender)
        if keys:
            bump_versions(*keys)


def connect() -> None:
    post_save.connect(table_changed, dispatch_uid="caching-table-save")  # any model: VERSION_TABLE filters
    post_delete.connect(table_changed, dispatch_uid="caching-table-delete")
    for name, signal in PAGE_SIGNALS.items():
        signal.connect(page_changed, dispatch_uid=f"caching-page-{name}")
    post_delete.connect(page_changed, sender=Page, dispatch_uid="caching-page-delete")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="caching-restriction-save")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="caching-restriction-delete")
    post_save.connect(site_changed, sender=Site, dispatch_uid="caching-site-save")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="caching-site-delete")
    post_save.connect(settings_changed, dispatch_uid="caching-settings-save")
    post_delete.connect(settings_changed, dispatch_uid="caching-settings-delete")
    post_save.connect(alias_saved, dispatch_uid="caching-alias-save")
