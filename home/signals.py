from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache_versions import SETTINGS_VERSION_KEY, bump_version
from .models import SiteSettings
from .page_cache import bump_page_cache
from .routing import bump_routes
from .selectors import clear_navigation_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _nav_changed(sender, **kwargs):
    clear_navigation_cache()
    bump_page_cache()


@receiver(post_delete, sender=Page)
def _page_deleted(sender, **kwargs):
    clear_navigation_cache()
    bump_page_cache()


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
def _settings_changed(sender, instance, **kwargs):
    if not kwargs.get("created"):  # made with its defaults on first read: pages already show those
        bump_version(SETTINGS_VERSION_KEY)  # the cached settings' key carries it
        transaction.on_commit(lambda: bump_version(SETTINGS_VERSION_KEY))
        bump_routes()  # the footer and menu fragments carry the pages version
        bump_page_cache()


# --- cached routing (home/routing.py): sites, routes and the restricted-paths summary ----------
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _routes_changed(sender, instance=None, **kwargs):
    # A site's root page (depth 2) carries the url_path every route starts from: sites too.
    bump_routes(sites=isinstance(instance, Page) and instance.depth <= 2)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _sites_changed(sender, **kwargs):
    bump_routes(sites=True)


@receiver(post_save)
def _alias_saved(sender, instance, **kwargs):
    # A new alias of a restricted page changes which pages its restriction covers.
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        bump_routes()
