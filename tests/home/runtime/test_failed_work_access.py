"""The coach's "emails that could not be sent" screens show other people's addresses: only the
coach may see them or press retry."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["runtime_failed_work", "runtime_failed_work_retry"])
def test_a_leader_is_refused_and_the_coach_is_not(client, name):
    url = reverse(name)
    client.force_login(UserFactory())
    refused = client.post(url) if name.endswith("retry") else client.get(url)
    assert refused.status_code in (302, 403)
    assert refused.status_code == 403 or "/login/" in refused["Location"]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    allowed = client.post(url) if name.endswith("retry") else client.get(url)
    assert allowed.status_code in (200, 302)
    assert allowed.status_code == 200 or "/login/" not in allowed["Location"]
