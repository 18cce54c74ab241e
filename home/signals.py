from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .selectors import clear_navigation_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _nav_changed(sender, **kwargs):
    clear_navigation_cache()


@receiver(post_delete, sender=Page)
def _page_deleted(sender, **kwargs):
    clear_navigation_cache()
