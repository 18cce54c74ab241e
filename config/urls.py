import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.login_doors import admin_site_login, to_account_login
from home import views as home_views
from home.core.caching import routing as home_routing
from home.core.metrics import metrics_view
from home.sitemap import sitemap

# Every log-in goes through allauth's form (accounts/login_doors.py): the Django admin's, and
# Wagtail's admin and page-privacy log-ins, answered before Wagtail's own URLs below can. Wagtail's
# admin password reset goes to allauth's (WAGTAIL_PASSWORD_RESET_ENABLED is off).
admin.site.login = admin_site_login

urlpatterns = [
    path("admin/login/", to_account_login),
    path("_util/login/", to_account_login),
    path("admin/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("django-admin/", admin.site.urls),
    path("admin/", include("home.admin_views.urls")),  # a few of Wagtail's admin views, fewer queries
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("home.urls")),
    path("", include(("program.webinars.urls", "program"))),  # names stay program:webinar_cancel, ...
    path("", include("program.payments.urls")),
    path("certificates/", include("program.certificates.urls")),
    path("", include("lessons.urls")),
    path("tracker/", include("tracker.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("anymail/", include("anymail.urls")),  # the email provider's signed bounce/complaint webhook
    path("metrics", metrics_view, name="metrics"),  # Prometheus, with its bearer token (home/core/metrics.py)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if os.environ.get("BENCHMARK") == "1":  # bench/run.py's baseline view, never in normal runs; first, so
    # the bare view measures the server and middleware, not a walk past every app's URLs (as in
    # bench/settings_default_middleware.py, whose URLconf holds only this view)
    urlpatterns.insert(0, path("", include("bench.bench_urls")))

# Wagtail's page serving catches everything else, so it goes last: Wagtail's own helper URLs, then
# its page view behind our shared-cache lookups of the site and route (home/core/caching/routing.py).
urlpatterns += [pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"]
urlpatterns += [re_path(wagtail_urls.serve_pattern, home_routing.serve, name="wagtail_serve")]

handler404 = home_views.page_not_found
handler500 = home_views.server_error
