from django.utils import timezone

from home.core.security import known_anonymous
from home.core.zones import zone_or_none


class UserTimezoneMiddleware:
    """Show every date and time in the logged-in user's own time zone. A request without a session
    cookie has nobody logged in: no user is loaded for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = None if known_anonymous(request) else getattr(request, "user", None)
        zone = zone_or_none(getattr(user, "time_zone", "")) if user is not None and user.is_authenticated else None
        # The zone lasts as long as the request: the thread serves other requests next (and, in
        # tests, the test itself), so what was active before comes back. A streaming body is
        # written after this returns: it takes its zone with it (the history CSV).
        with timezone.override(zone):  # None: the site's zone
            return self.get_response(request)
