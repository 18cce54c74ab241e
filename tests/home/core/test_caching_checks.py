"""The caching layer refuses settings it does not support."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_wagtail_i18n_fails_the_system_check(settings):
    call_command("check", tags=["caching"])  # off: nothing to say
    settings.WAGTAIL_I18N_ENABLED = True
    with pytest.raises(SystemCheckError, match="huddle.caching.E001"):
        call_command("check", tags=["caching"])
