from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from home.core.caching import receivers

        receivers.connect()  # the caching versions move on page, Site, restriction and settings changes
