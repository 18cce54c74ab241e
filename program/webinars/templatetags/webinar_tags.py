"""`{% local_time dt %}`: a <time> element in the visitor's zone, with the zone named.

Logged-in users see their profile zone (the middleware activated it) and the element is marked
fixed. Everyone else gets the site's default zone from the server, and static/js/local_times.js
rewrites it into the browser's zone when JavaScript runs.
"""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def local_time(context, value, fmt="l, F j, Y, g:i A"):
    if value is None:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    fixed = bool(user is not None and user.is_authenticated and getattr(user, "time_zone", ""))
    zone = timezone.get_current_timezone()
    local = timezone.localtime(value, zone)
    return format_html(
        '<time datetime="{}" data-local-time{}>{} ({})</time>',
        value.isoformat(),
        " data-zone-fixed" if fixed else "",
        date_format(local, fmt),
        str(zone).replace("_", " "),
    )
