"""Wagtail's page explorer (the listing of a page's children), subclassed through Wagtail's page
viewset (registered for the base Page in home/wagtail_hooks.py, after Wagtail's own) so it stops
re-reading what it already has (issue 16). Same rows, columns, ordering, filters, search, buttons,
bulk actions, permissions, workflow states and privacy marks as Wagtail's `ExplorableIndexView`:

- The listing no longer looks up the rows' parents: Wagtail does it for its "Parent" column, which
  the explorer never shows (its `explorable_columns` drop it; while searching the view still finds
  the parents it shows, as Wagtail does).
- The rows' content types come from Django's per-process content-type cache instead of a query, and
  the rows' `sites_rooted_here` are not prefetched: nothing in the explorer reads them (the "site
  root" mark reads the `_is_site_root` annotation, `Page.is_site_root`).
- The rows and the parent page are specific with their own fields deferred (`specific(defer=True)`,
  Wagtail's own: one query for every page type instead of one per type). Nothing the explorer shows
  reads a page type's own fields; one that did would load it on access, as Django's deferred fields do.
- The parent page is read once (`get`): with the "has an approved schedule" annotation (Wagtail's
  `annotate_approved_schedule`: the scheduled revision is only read when there is one), its latest
  revision joined (`select_related`; the live revision is the same row when there is no draft) and its
  usage count as a subquery (read by `UsageCountedPageStatusSidePanel`). Its workflow states are
  read with the rows' in one query (`prefetch_related_objects`, Wagtail's `prefetch_workflow_states`).
- The first page of rows is counted from the rows themselves when they fit on it (no COUNT query,
  `FirstPageCountingPaginator`).
- Which pages a signed-in editor may explore is worked out without reading their common ancestor
  (`ExplorerPagePermissionPolicy`: only its path is used).
- The filters' choice lists are kept in the shared cache (home/admin_views/explorer_filters.py).
- The request's Site comes from the shared, versioned cache (home.core.caching.routing), so the
  parent's "view live" URL costs no Site query; the paths of privately viewed pages that Wagtail's
  `test_page_is_public` reads come from the same module's versioned restriction summary.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Subquery, When, prefetch_related_objects
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.generic import IndexView as GenericIndexView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from .breadcrumbs import keep_ancestors
from .editor import CachedSiteAndPrivacyMixin, FewerQueriesEditView, _known_root_paths
from .explorer_filters import keep_filter_choices
from .usage_count import USAGE_COUNT, UsageCountedPageStatusSidePanel, usage_count

EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def _workflows_enabled() -> bool:
    return getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True)


class ExplorerPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy whose `explorable_instances` finds the same pages without reading the
    permitted pages' first common ancestor: Wagtail reads it (`first_common_ancestor_of`, one query)
    only to filter on its path, which is the common prefix of the paths it already has. Subclassed
    because the policy has no hook for it; when there is no common prefix Wagtail's own runs."""

    def explorable_root_instance(self, user):
        """Wagtail's, except that a superuser's (the common ancestor of the tree's roots, two queries)
        is the tree's one root when there is one (one query), kept on the user as Wagtail keeps it."""
        if user.is_active and user.is_superuser and not hasattr(user, self._explorable_root_instance_cache_name):
            roots = list(Page.objects.filter(depth=1)[:2])
            if len(roots) == 1:
                setattr(user, self._explorable_root_instance_cache_name, roots[0])
        return super().explorable_root_instance(user)

    def explorable_instances(self, user):
        if not user.is_active or user.is_superuser:
            return super().explorable_instances(user)
        page_permissions = [perm.page for perm in self.get_cached_permissions_for_user(user)]
        if not page_permissions:
            return super().explorable_instances(user)
        # Wagtail's PagePermissionPolicy.explorable_instances from here, with the path; without a
        # common prefix (e.g. a permission on the root) Wagtail uses the first root node's path,
        # here read inside the same SQL
        path = _common_parent_path(page_permissions) or Subquery(
            Page.objects.filter(depth=1).order_by("path").values("path")[:1]
        )
        explorable = self.instances_user_has_any_permission_for(user, EXPLORE_ACTIONS)
        for page in page_permissions:
            explorable |= self.model._default_manager.ancestor_of(page)
        return explorable.filter(path__startswith=path)


def _common_parent_path(pages) -> str:
    """The path `PageManager.first_common_ancestor_of(pages)` finds ("" when it has to ask)."""
    steplen = Page.steplen
    paths = list({page.path[:-steplen] for page in pages})
    common = posixpath.commonprefix(paths)
    return common[: len(common) - len(common) % steplen]


class FirstPageCountingPaginator(WagtailPaginator):
    """Wagtail's paginator (the listing's own: its page links take any `?p=`, a word or a page past
    the end, as page 1 or the last) that, for the first page of a queryset, reads one row more than a
    page and counts the rows from them when they all fit (no COUNT query); else it counts as Django
    does. `_get_page` is Django's documented hook for the page object."""

    def get_page(self, number):
        if number in (None, "", 1, "1") and isinstance(self.object_list, QuerySet) and not self.orphans:
            rows = list(self.object_list[: self.per_page + 1])
            if len(rows) <= self.per_page and (rows or self.allow_empty_first_page):
                self.count = len(rows)  # Paginator.count is a cached_property
                return self._get_page(rows, 1, self)
        return super().get_page(number)


class FewerQueriesExplorableIndexView(CachedSiteAndPrivacyMixin, ExplorableIndexView):
    # The viewset hands these to the view as its `columns` (PageListingViewSet.columns)
    base_columns = [column for column in ExplorableIndexView.base_columns if not isinstance(column, ParentPageColumn)]
    paginator_class = FirstPageCountingPaginator

    @cached_property
    def permission_policy(self):
        return ExplorerPagePermissionPolicy()

    def get(self, request, parent_page_id=None):
        """Wagtail's `ExplorableIndexView.get` (then the generic IndexView's), with the parent page
        read in one query (see the module docstring)."""
        if parent_page_id:
            self.parent_page = self._read_parent(parent_page_id)
        else:
            self.parent_page = self._read_root(request.user)
        root_page = self.permission_policy.explorable_root_instance(request.user)
        if not (self.parent_page.pk == root_page.pk or self.parent_page.is_descendant_of(root_page)):
            return redirect(self.index_url_name, root_page.pk)
        self.parent_page = self.parent_page.specific  # itself when read above; Wagtail's for the root
        _known_root_paths(request, self.parent_page)
        self.scheduled_page = (
            self.parent_page.get_scheduled_revision_as_object()
            if getattr(self.parent_page, "_approved_schedule", True)
            else None
        )
        self.permissions = self.parent_page.permissions_for_user(request.user)
        if self.i18n_enabled and not self.parent_page.is_root():
            self.locale = self.parent_page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []
        return GenericIndexView.get(self, request)

    def _read_root(self, user):
        """Wagtail's `Page.get_first_root_node()`, annotated as the parent is; with one root, it
        is also a superuser's explorable root (see ExplorerPagePermissionPolicy)."""
        roots = list(Page.objects.filter(depth=1).annotate_approved_schedule()[:2])
        for root in roots:
            keep_ancestors(root, [root])
        if len(roots) == 1 and user.is_active and user.is_superuser:
            setattr(user, self.permission_policy._explorable_root_instance_cache_name, roots[0])
        return roots[0] if roots else None

    def _read_parent(self, parent_page_id):
        from django.http import Http404

        # the page with its ancestors (the header's breadcrumbs, home/admin_views/breadcrumbs.py)
        rows = list(
            Page.objects.filter(Exists(Page.objects.filter(pk=parent_page_id, path__startswith=OuterRef("path"))))
            .select_related("latest_revision")
            .annotate_approved_schedule()
            .annotate(**{USAGE_COUNT: Case(When(pk=parent_page_id, then=usage_count()), default=None)})
            .order_by("depth")
        )
        base = next((row for row in rows if str(row.pk) == str(parent_page_id)), None)
        if base is None:
            raise Http404("No Page matches the given query.")
        page = base.get_specific(deferred=True)  # copies the annotations, not the joined revision
        page.latest_revision = base.latest_revision  # no query: read with the page
        if page.live_revision_id is not None and page.live_revision_id == page.latest_revision_id:
            page.live_revision = base.latest_revision  # the same row, as Django would read it
        keep_ancestors(page, rows)
        return page

    def order_queryset(self, queryset):
        """Wagtail's, with the tree order breaking ties (e.g. pages never revised, whose
        `latest_revision_created_at` are all empty): Wagtail leaves them to the database, which on
        PostgreSQL orders them differently from one query shape to another, and from page to page."""
        queryset = super().order_queryset(queryset)
        order = getattr(getattr(queryset, "query", None), "order_by", ())
        if isinstance(queryset, QuerySet) and order and "path" not in order:
            queryset = queryset.order_by(*order, "path")
        return queryset

    def annotate_queryset(self, pages):
        """Wagtail's (PageListingMixin.annotate_queryset) without the content-type and sites
        prefetches, specific with deferred fields; the workflow states come in get_context_data."""
        pages = pages.defer_streamfields().specific(defer=True)
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        return pages.annotate_site_root_state().annotate_approved_schedule()

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None:
            keep_filter_choices(filters.form)
        return filters

    def paginate_queryset(self, queryset, page_size):
        """Django's, then the rows' content types and Wagtail's `prefetch_workflow_states` for the
        rows and the parent page in one query (before the header buttons ask the parent's)."""
        paginated = super().paginate_queryset(queryset, page_size)
        rows = list(paginated[2])
        for page in rows:
            page.content_type = ContentType.objects.get_for_id(page.content_type_id)
        _known_root_paths(self.request, *rows)
        if _workflows_enabled():
            pages = [page for page in [self.parent_page, *rows] if not hasattr(page, "_current_workflow_states")]
            states = WorkflowState.objects.active().select_related("current_task_state__task")
            prefetch_related_objects(
                pages, Prefetch("_specific_workflow_states", queryset=states, to_attr="_current_workflow_states")
            )
        return paginated

    def get_side_panels(self):
        if self.parent_page.is_root():  # Wagtail's: no side panels on the root page
            return MediaContainer()
        latest = self.parent_page.get_latest_revision_as_object()
        _known_root_paths(self.request, latest, self.scheduled_page)
        return MediaContainer(
            [
                UsageCountedPageStatusSidePanel(
                    latest,
                    self.request,
                    show_schedule_publishing_toggle=False,
                    live_object=self.parent_page,
                    scheduled_object=self.scheduled_page,
                    locale=self.locale,
                    translations=self.translations,
                ),
            ]
        )


class FewerQueriesPageViewSet(PageViewSet):
    index_view_class = FewerQueriesExplorableIndexView
    edit_view_class = FewerQueriesEditView
