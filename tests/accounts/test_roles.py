"""One answer to "is this the coach?", used by every check."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from accounts.roles import CoachMenuItem, coaches, is_coach
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_active_staff_and_superusers_are_the_coach():
    leader = UserFactory()
    staff = UserFactory(is_staff=True)
    superuser = UserFactory(is_superuser=True)
    retired = UserFactory(is_staff=True, is_active=False)
    assert not is_coach(AnonymousUser())
    assert not is_coach(None)
    assert not is_coach(leader)
    assert is_coach(staff)
    assert is_coach(superuser)
    assert not is_coach(retired)
    assert set(coaches()) == {staff, superuser}


def test_template_filter_and_menu_item_give_the_same_answer():
    leader, coach = UserFactory(), UserFactory(is_staff=True)
    template = Template("{% load roles %}{% if user|is_coach %}coach{% else %}leader{% endif %}")
    item = CoachMenuItem("Reports", "/admin/reports/")
    for user, expected in [(leader, "leader"), (coach, "coach"), (AnonymousUser(), "leader")]:
        assert template.render(Context({"user": user})) == expected
        request = RequestFactory().get("/admin/")
        request.user = user
        assert item.is_shown(request) is (expected == "coach")
