from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.core.caching.page_cache import bump_page_cache
from home.core.caching.routing import bump_routes
from home.core.caching.versions import MENU_VERSION_KEY, SETTINGS_VERSION_KEY, bump_versions

from .models import SiteSettings


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
def _page_changed(sender, **kwargs):
    bump_page_cache()  # the menu's version moves in _routes_changed, for pages near the top only


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
def _settings_changed(sender, instance, **kwargs):
    if not kwargs.get("created"):  # made with its defaults on first read: pages already show those
        bump_versions(SETTINGS_VERSION_KEY)  # the cached settings' key carries it
        bump_routes()  # the footer and menu fragments carry the pages version
        bump_page_cache()


# --- cached routing (home/core/caching/routing.py): sites, routes and the restricted-paths summary ----------
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _routes_changed(sender, instance=None, **kwargs):
    # A site's root page (depth 2) carries the url_path every route starts from: sites too.
    bump_routes(sites=isinstance(instance, Page) and instance.depth <= 2)
    if isinstance(instance, Page) and _near_the_top(instance, kwargs):
        bump_versions(MENU_VERSION_KEY)


def _near_the_top(page, kwargs) -> bool:
    """Could this change alter the menu (the site root's children)? Depth 3 or above, or a move
    from or to there."""
    parents = (kwargs.get("parent_page_before"), kwargs.get("parent_page_after"))
    return page.depth <= 3 or any(parent is not None and parent.depth <= 2 for parent in parents)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _sites_changed(sender, **kwargs):
    bump_routes(sites=True)
    bump_versions(MENU_VERSION_KEY)


@receiver(post_save)
def _alias_saved(sender, instance, **kwargs):
    # A new alias of a restricted page changes which pages its restriction covers.
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        bump_routes()
