import os

import pytest
from wagtail.models import Page, Site

from home.models import HomePage


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from home.core.caching import memo
    from lessons.page_body import recent as lesson_bodies

    cache.clear()
    memo.clear()
    lesson_bodies.clear()
    yield
    cache.clear()
    memo.clear()
    lesson_bodies.clear()


def ensure_wagtail_roots() -> Page:
    """Transactional tests flush the database, and with it the rows Wagtail's migrations made
    (the root page, the root collection, the default locale): put them back when missing."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(language_code="en")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    return root


@pytest.fixture
def without_page_cache(settings):
    """For tests of what lies behind the anonymous page cache (routing, page serving): the cache is
    switched off by its own setting, the way an operator would, instead of a cookie trick."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def home_page(db) -> HomePage:
    """A HomePage as the default site's root, like the real site."""
    root = ensure_wagtail_roots()
    for child in root.get_children():
        child.delete()
    home = HomePage(title="Huddle", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Huddle")
    return home


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped before any database set-up when the suite runs on SQLite.
    (Skipping inside the test would first set up its transactional database, and a serialized
    rollback restored over content types that a flush re-created can fail.)"""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
