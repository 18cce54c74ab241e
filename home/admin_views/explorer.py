"""Wagtail's page explorer (the listing of a page's children), subclassed through Wagtail's page
viewset (registered for the base Page in home/wagtail_hooks.py, after Wagtail's own) so it stops
re-reading what it already has (issue 16). Same rows, columns, ordering, filters, search, buttons
and permissions as Wagtail's `ExplorableIndexView`:

- The listing no longer looks up the rows' parents: Wagtail does it for its "Parent" column, which
  the explorer never shows (its `explorable_columns` drop it; while searching the view still finds
  the parents it shows, as Wagtail does).
- The rows' content types come from Django's per-process content-type cache instead of a query.
- The request's Site comes from the shared, versioned cache (home.core.caching.routing), so the
  parent's "view live" URL costs no Site query; the paths of privately viewed pages that Wagtail's
  `test_page_is_public` reads come from the same module's versioned restriction summary.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.admin.ui.tables.pages import ParentPageColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet

from .editor import CachedSiteAndPrivacyMixin, FewerQueriesEditView


class FewerQueriesExplorableIndexView(CachedSiteAndPrivacyMixin, ExplorableIndexView):
    # The viewset hands these to the view as its `columns` (PageListingViewSet.columns)
    base_columns = [column for column in ExplorableIndexView.base_columns if not isinstance(column, ParentPageColumn)]

    def annotate_queryset(self, pages):
        """Wagtail's (PageListingMixin.annotate_queryset) without the content-type prefetch."""
        pages = pages.prefetch_related("sites_rooted_here").defer_streamfields().specific()
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            pages = pages.prefetch_workflow_states()
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        return pages.annotate_site_root_state().annotate_approved_schedule()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for page in context["object_list"]:
            page.content_type = ContentType.objects.get_for_id(page.content_type_id)
        return context


class FewerQueriesPageViewSet(PageViewSet):
    index_view_class = FewerQueriesExplorableIndexView
    edit_view_class = FewerQueriesEditView
