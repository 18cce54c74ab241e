"""A second Wagtail Site rooted at the program: every program, module and lesson link works there,
built as Wagtail builds page URLs, and the main site's links stay as they were."""

import re

import pytest
from wagtail.models import Site

from tests.lessons.factories import enrol, make_course

pytestmark = pytest.mark.django_db

LEARN = "localhost"  # in the test ALLOWED_HOSTS


@pytest.fixture
def two_sites(home_page, user):
    program, modules, lessons = make_course(home_page, modules=2, lessons=2)
    Site.objects.create(hostname=LEARN, port=80, root_page=program, site_name="Learn")
    enrol(user, program)
    return program, modules, lessons


def _links(content: bytes) -> set[str]:
    return set(re.findall(r'href="([^"#?]+)"', content.decode()))


def test_links_on_the_program_site_answer_there(client, user, two_sites):
    program, modules, lessons = two_sites
    client.force_login(user)
    for _ in range(3):  # cold, remembered, kept
        response = client.get("/m1/l1/", HTTP_HOST=LEARN)
        assert response.status_code == 200 and b"SECRET body of Lesson 1.1" in response.content
    links = _links(response.content)
    assert "/m1/l2/" in links and "/m1/" in links
    assert not any(link.startswith("/program/") for link in links)
    for link in ("/m1/l2/", "/m2/l1/", "/m1/", "/"):
        assert client.get(link, HTTP_HOST=LEARN).status_code == 200, link
    program_page = client.get("/", HTTP_HOST=LEARN)
    assert "/m2/" in _links(program_page.content)


def test_the_main_sites_links_are_unchanged(client, user, two_sites):
    client.force_login(user)
    response = client.get("/program/m1/l1/")
    assert response.status_code == 200
    links = _links(response.content)
    assert "/program/m1/l2/" in links and "/program/m1/" in links
    assert client.get("/program/m2/l1/").status_code == 200


def test_dashboard_links_to_the_lesson_on_the_current_site(client, user, two_sites):
    client.force_login(user)
    client.get("/program/m1/l1/")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert any(link.startswith("/program/m1/") for link in _links(response.content))
