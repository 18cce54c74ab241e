"""Admin URLs answered before Wagtail's own (config/urls.py includes these ahead of Wagtail's admin),
at Wagtail's addresses and behind Wagtail's admin-access check."""

from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .reports import FewerQueriesAgingPagesView, FewerQueriesSiteHistoryView

urlpatterns = decorate_urlpatterns(
    [
        path("reports/site-history/", FewerQueriesSiteHistoryView.as_view()),
        path("reports/site-history/results/", FewerQueriesSiteHistoryView.as_view(results_only=True)),
        path("reports/aging-pages/", FewerQueriesAgingPagesView.as_view()),
        path("reports/aging-pages/results/", FewerQueriesAgingPagesView.as_view(results_only=True)),
    ],
    require_admin_access,
)
urlpatterns = decorate_urlpatterns(urlpatterns, display_custom_404)  # as Wagtail's admin URLs
