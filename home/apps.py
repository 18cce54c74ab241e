from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from home.core import metrics  # noqa: F401 (its deploy check registers itself)
        from home.core.caching import checks, receivers  # noqa: F401 (checks registers itself)

        receivers.connect()  # the caching versions move on page, Site, restriction and settings changes
        from home.admin_views import editor_data, explorer_filters, locales, log_filters, permissions

        permissions.connect()  # the Wagtail permissions kept for the admin forget on their changes
        locales.connect()  # the locales kept for the admin's pages forget on Locale changes
        log_filters.connect()  # the site history's kept filters forget on every log entry
        editor_data.connect()  # the page editor's kept page data forgets on page and workflow writes
        explorer_filters.connect()  # the explorer's kept filter choices forget on their changes
