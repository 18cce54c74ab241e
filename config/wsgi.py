import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Anonymous page-cache hits are answered before Django's request handling; everything else is
# Django's (home/core/caching/wsgi_hit.py says what a hit there keeps of the middleware path).
from home.core.caching.wsgi_hit import PageCacheApplication  # noqa: E402 (after the apps are loaded)

application = PageCacheApplication(application)

from home.core.startup import freeze_startup_objects  # noqa: E402 (after the apps are loaded)

freeze_startup_objects()
