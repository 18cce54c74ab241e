"""What every Wagtail admin page asks about a signed-in (not super-) user's Wagtail permissions,
kept in the shared cache between requests (issue 16): the user's page permissions, collection
permissions and site permissions (Wagtail's permission policies' `get_cached_permissions_for_user`)
and the explorable root page (`PagePermissionPolicy.explorable_root_instance`), four queries on every
admin page (the menu asks all four); a miss reads the three lists in one query (`permission_rows`)
and the root usually with them. Wagtail keeps each on the user object for one request, under
the attribute the policy names (`permission_cache_name`); `AdminPermissionsMiddleware` puts there,
before the admin view runs, what the last request of this user read, as new instances (frozen
primitives, home.core.caching.frozen), when it was read under the current versions:

- the user's two versions (accounts.user_cache: their groups, their own and any group's
  permissions, the user's save, e.g. deactivation or a superuser flag);
- `ADMIN_PERMISSIONS_VERSION_KEY`, moved (now and on commit) by every save or delete of a
  GroupPagePermission, GroupCollectionPermission, GroupSitePermission or Collection, every save or
  delete of any page (the kept pages carry their paths and titles) and every page move.

Superusers (Wagtail reads no permission rows for them) get their explorable root only, one entry
for all of them (`SUPERUSER_ROOT_KEY`, under `ADMIN_PERMISSIONS_VERSION_KEY`). Only requests under the admin's URL
prefix read the cache; Wagtail's own code runs the same from there, reading these attributes. The
same middleware gives every signed-in user (superusers too) her kept Wagtail profile
(accounts.admin_profile).
"""

from __future__ import annotations

import copy
import posixpath

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, GroupSitePermission, Page
from wagtail.permission_policies.collections import CollectionPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permission_policies.sites import SitePermissionPolicy
from wagtail.signals import post_page_move

from accounts import admin_profile
from accounts.user_cache import user_versions
from home.admin_views import permission_rows
from home.core.caching.frozen import freeze, thaw
from home.core.caching.versions import bump_versions, current_version

ADMIN_PERMISSIONS_VERSION_KEY = "home:admin-permissions-version"
KEPT_SECONDS = 60 * 60
SUPERUSER_ROOT_KEY = "home:admin-permissions:superuser-root"
_PAGES = PagePermissionPolicy()
_COLLECTIONS = CollectionPermissionPolicy(Collection)
_SITES = SitePermissionPolicy(GroupSitePermission)
# (policy, what to freeze with each permission row)
_LISTS = ((_PAGES, ("page", "permission")), (_COLLECTIONS, ("collection", "permission")), (_SITES, ("permission",)))
_ROOT = PagePermissionPolicy._explorable_root_instance_cache_name


def _entry_key(pk) -> str:
    return f"home:admin-permissions:{pk}"


def _read(user) -> tuple:
    """The user's permission rows of each policy (read together, `permission_rows`) and the
    explorable root, kept on `user` for this request where Wagtail's policies look for them."""
    lists = permission_rows.read(user)  # one query for the three policies' rows
    for (policy, _), rows in zip(_LISTS, lists, strict=True):
        setattr(user, policy.permission_cache_name, rows)
    return lists, _explorable_root(user)


def _explorable_root(user):
    """Wagtail's `explorable_root_instance`, without its query (`first_common_ancestor_of`) when the
    common ancestor of the pages the user may explore is one of them (e.g. a group's permissions on
    one page; a superuser's pages are the tree's root nodes, so with one root node it is that node):
    that page, as read with the permissions, kept on the user as Wagtail keeps it. No common
    ancestor (no page, or several root nodes): None, as Wagtail's strict `first_common_ancestor_of`."""
    pages = _PAGES.instances_with_direct_explore_permission(user)
    common = posixpath.commonprefix([page.path for page in pages])
    common = common[: len(common) - len(common) % Page.steplen]
    if not common:  # no page, or no common ancestor (several root nodes): Wagtail's answer is None
        setattr(user, _ROOT, None)
        return None
    for page in pages:
        if page.path == common:
            root = copy.copy(page)
            setattr(user, _ROOT, root)
            return root
    return _PAGES.explorable_root_instance(user)


def _prefill_superuser(user) -> None:
    """A superuser's explorable root (Wagtail reads no permission rows for her): the same for every
    superuser (the common ancestor of every page), kept under `ADMIN_PERMISSIONS_VERSION_KEY`."""
    version = current_version(ADMIN_PERMISSIONS_VERSION_KEY)
    entry = cache.get(SUPERUSER_ROOT_KEY)
    if type(entry) is tuple and entry[0] == version:
        setattr(user, _ROOT, thaw(entry[1]) if entry[1] is not None else None)
        return
    root = _explorable_root(user)  # the tree's root node: one query (Wagtail's two: roots, then their ancestor)
    cache.set(SUPERUSER_ROOT_KEY, (version, freeze(root) if root is not None else None), KEPT_SECONDS)


def prefill(user) -> None:
    """Put on `user` what Wagtail's permission policies would read for it in this request."""
    if not (user.is_authenticated and user.is_active):
        return
    if user.is_superuser:
        _prefill_superuser(user)
        return
    versions = (current_version(ADMIN_PERMISSIONS_VERSION_KEY), *user_versions(user.pk))
    entry = cache.get(_entry_key(user.pk))
    if type(entry) is tuple and entry[0] == versions:
        _, lists, root = entry
        for (policy, _), frozen in zip(_LISTS, lists, strict=True):
            setattr(user, policy.permission_cache_name, [thaw(row) for row in frozen])
        setattr(user, _ROOT, thaw(root) if root is not None else None)
        return
    lists, root = _read(user)
    frozen = tuple(
        tuple(freeze(row, related=related) for row in rows) for (_, related), rows in zip(_LISTS, lists, strict=True)
    )
    cache.set(_entry_key(user.pk), (versions, frozen, freeze(root) if root is not None else None), KEPT_SECONDS)
    for (policy, _), rows in zip(_LISTS, lists, strict=True):
        setattr(user, policy.permission_cache_name, rows)


class AdminPermissionsMiddleware:
    """After AuthenticationMiddleware: the admin's requests get their user's kept permissions and
    Wagtail profile."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            try:
                self.prefix = reverse("wagtailadmin_home")
            except NoReverseMatch:  # a URLconf without Wagtail's admin
                self.prefix = ""
        if self.prefix and request.path_info.startswith(self.prefix):
            prefill(request.user)
            admin_profile.prefill(request.user)
        return self.get_response(request)


def admin_permissions_changed() -> None:
    bump_versions(ADMIN_PERMISSIONS_VERSION_KEY)


def _changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        admin_permissions_changed()


def _page_changed(sender, instance=None, raw=False, **kwargs) -> None:
    if not raw and isinstance(instance, Page):
        admin_permissions_changed()


def connect() -> None:
    for model in (GroupPagePermission, GroupCollectionPermission, GroupSitePermission, Collection):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(_changed, sender=model, dispatch_uid=f"home.admin-permissions.{model.__name__}.{name}")
    post_save.connect(_page_changed, dispatch_uid="home.admin-permissions.page.save")  # any page type
    post_delete.connect(_page_changed, dispatch_uid="home.admin-permissions.page.delete")
    post_page_move.connect(_changed, dispatch_uid="home.admin-permissions.page.move")
