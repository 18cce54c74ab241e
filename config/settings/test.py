"""Test settings: fast hashing, immediate tasks, in-memory mail, isolated media."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # Django's test set-up forces it anyway
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND  # what tests that switch on the suppression list deliver to
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="huddle-test-media-")
CERTIFICATE_DEV_KEY_PATH = Path(tempfile.mkdtemp(prefix="huddle-test-keys-")) / "certificate-signing-key.pem"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL", default=""):
    pass  # tests that need Redis build their own settings
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
