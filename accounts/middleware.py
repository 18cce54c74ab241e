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
        if zone is None and timezone.get_current_timezone() is timezone.get_default_timezone():
            # The site's zone is the one in force already (the usual case: an anonymous request, or
            # a person without a zone): nothing to switch or put back. `override` would read and
            # clear the thread's zone twice, each an asgiref Local look-up that misses (about a
            # tenth of a bare request's own cost).
            return self.get_response(request)
        # The zone lasts as long as the request: the thread serves other requests next (and, in
        # tests, the test itself), so what was active before comes back. A streaming body is
        # written after this returns: it takes its zone with it (the history CSV).
        with timezone.override(zone):  # None: the site's zone
            return self.get_response(request)
