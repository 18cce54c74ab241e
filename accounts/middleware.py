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
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
