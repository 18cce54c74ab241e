"""Every tracker step page a lesson's apply-it link lands on links back to the lesson of that step."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_each_step_page_links_back_to_its_lesson(leader_client, team, metrics, step):
    landing = leader_client.get(reverse("tracker:step", args=[step]))
    assert landing.status_code == 302
    html = leader_client.get(landing.url).content.decode()
    assert f'href="{reverse("tracker:step_lesson", args=[step])}"' in html
