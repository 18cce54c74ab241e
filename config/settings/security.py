"""Security settings: one door in, Content-Security-Policy and Permissions-Policy, read from the
environment like every other setting."""

import environ

env = environ.Env()
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")

# --- Security: one door in ----------------------------------------------------------------
# Every log-in is allauth's (config/urls.py routes the admin and page-privacy log-ins to it), so
# there is one reset flow (allauth's, rate limited) and one way to change an address (allauth's,
# verified). Wagtail's own are off.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# Content-Security-Policy (django-csp, home/core/security.py). Scripts only from our own origin and
# never inline; styles allow inline `style=""` attributes (progress bars, charts). Lesson videos play
# from YouTube (no-cookie) and Vimeo; checkout and the billing portal are Stripe's pages, reached by a
# redirect after a form. Media may come from S3 (AWS_S3_CUSTOM_DOMAIN or the endpoint).
_MEDIA_ORIGINS = [
    origin
    for origin in (
        f"https://{env('AWS_S3_CUSTOM_DOMAIN', default='')}" if env("AWS_S3_CUSTOM_DOMAIN", default="") else "",
        env("AWS_S3_ENDPOINT_URL", default=""),
        "https://*.amazonaws.com" if AWS_STORAGE_BUCKET_NAME else "",
    )
    if origin
]
_STRIPE = ["https://checkout.stripe.com", "https://billing.stripe.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", *_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"],
        "form-action": ["'self'", *_STRIPE],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Wagtail's and Django's admin render inline scripts (and Wagtail's editor evaluates a few): their
# own policy, open to inline scripts but still to no other origin.
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
    "frame-src": ["'self'", *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]],
    "form-action": ["'self'"],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
