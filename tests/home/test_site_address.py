"""SITE_URL sets Wagtail's Site, so previews, sitemaps and absolute links use the real address."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def test_site_from_env_points_the_default_site_at_site_url_once(home_page, settings, capsys):
    settings.SITE_URL = "https://huddle.example.com"
    call_command("site_from_env")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("huddle.example.com", 443, "https://huddle.example.com")
    assert "now points at https://huddle.example.com/" in capsys.readouterr().out
    call_command("site_from_env")  # a second deploy changes nothing
    assert "already points at" in capsys.readouterr().out
    assert home_page.full_url == "https://huddle.example.com/"


def test_an_explicit_port_is_kept(home_page):
    call_command("site_from_env", url="http://staging.example.com:8080/")
    assert Site.objects.get(is_default_site=True).root_url == "http://staging.example.com:8080"


@pytest.mark.parametrize(
    "url", ["huddle.example.com", "ftp://huddle.example.com", "https://huddle.example.com/shop", "https://x:port"]
)
def test_a_bad_address_is_refused_and_changes_nothing(home_page, url):
    before = Site.objects.values_list("hostname", "port").get(is_default_site=True)
    with pytest.raises(CommandError):
        call_command("site_from_env", url=url)
    assert Site.objects.values_list("hostname", "port").get(is_default_site=True) == before
