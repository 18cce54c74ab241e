"""The Wagtail admin's avatars: our CSP allows images from this site only, so an avatar fetched
from gravatar.com showed as a broken image (and sent an md5 of the coach's address there)."""

import pytest
from django.templatetags.static import static

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_admin_shows_wagtails_own_avatar_not_a_gravatar(client, home_page):
    coach = StaffFactory()
    client.force_login(coach)

    html = client.get("/admin/").content.decode()

    assert "gravatar" not in html
    assert static("wagtailadmin/images/default-user-avatar.png").split("?")[0] in html
