"""One answer to "is this the coach?", from permissions, used by every check."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page

from accounts.models import User
from accounts.roles import CoachMenuItem, coach_permission, coaches, is_coach
from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import make_course

pytestmark = pytest.mark.django_db


def test_the_coach_holds_the_coach_permission_or_is_a_superuser():
    leader = UserFactory()
    staff_only = UserFactory(is_staff=True)  # Django's staff flag alone is not the coach
    coach = CoachFactory()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    direct = UserFactory()
    direct.user_permissions.add(*coach_permission())
    superuser = UserFactory(is_superuser=True)
    retired = CoachFactory(is_active=False)
    assert not is_coach(AnonymousUser())
    assert not is_coach(None)
    assert not is_coach(leader)
    assert not is_coach(staff_only)
    assert not is_coach(retired)
    for user in (coach, editor, direct, superuser):
        assert is_coach(User.objects.get(pk=user.pk)), user
    assert set(coaches()) == {coach, editor, direct, superuser}


def test_the_answer_costs_one_query_per_user_object(django_assert_num_queries):
    coach, leader = CoachFactory(), UserFactory()
    for user in (coach, leader):
        fresh = User.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            first = is_coach(fresh)
            assert all(is_coach(fresh) is first for _ in range(5))
    filled = User.objects.get(pk=coach.pk)
    filled.has_perm("accounts.coach")  # Django's own permission cache, as the admin fills it
    with django_assert_num_queries(0):
        assert is_coach(filled)


def test_template_filter_and_menu_item_give_the_same_answer():
    leader, coach = UserFactory(), CoachFactory()
    template = Template("{% load roles %}{% if user|is_coach %}coach{% else %}leader{% endif %}")
    item = CoachMenuItem("Reports", "/admin/reports/")
    for user, expected in [(leader, "leader"), (coach, "coach"), (AnonymousUser(), "leader")]:
        assert template.render(Context({"user": user})) == expected
        request = RequestFactory().get("/admin/")
        request.user = user
        assert item.is_shown(request) is (expected == "coach")


def test_an_editor_added_through_wagtails_users_form_previews_the_lesson(client, home_page):
    _, _, lessons = make_course(home_page, modules=1, lessons=1)
    lesson = lessons[0]
    client.force_login(UserFactory(is_superuser=True))
    editors = Group.objects.get(name="Editors")
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "editor@example.com",
            "full_name": "Eddie Editor",
            "password1": "a-long-enough-password-2026",
            "password2": "a-long-enough-password-2026",
            "groups": [editors.pk],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    editor = User.objects.get(email="editor@example.com")
    assert not editor.is_staff and not editor.is_superuser
    client.force_login(editor)
    for url in (f"/admin/pages/{lesson.pk}/view_draft/", f"/admin/pages/{lesson.pk}/edit/preview/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"SECRET" in client.get(f"/admin/pages/{lesson.pk}/view_draft/").content
    assert b"SECRET" in client.get(lesson.url).content  # full lesson access, as the coach has


def test_a_leader_does_not_preview_and_a_superuser_does(client, home_page, user):
    _, _, lessons = make_course(home_page, modules=1, lessons=1)
    url = f"/admin/pages/{lessons[0].pk}/view_draft/"
    client.force_login(user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200 and b"SECRET" in response.content


def test_a_writer_without_the_coach_permission_previews_without_full_access(client, home_page):
    """A group the coach made with page rights only: Wagtail lets it preview (no 404), but only the
    coach permission reads every published lesson in full."""
    _, _, lessons = make_course(home_page, modules=1, lessons=1)
    writers = Group.objects.create(name="Writers")
    writers.permissions.add(*Group.objects.get(name="Editors").permissions.exclude(codename="coach"))
    for perm in Page.get_first_root_node().group_permissions.filter(group__name="Editors"):
        writers.page_permissions.create(page=perm.page, permission=perm.permission)
    writer = UserFactory()
    writer.groups.add(writers)
    client.force_login(writer)
    assert not is_coach(writer)
    assert client.get(f"/admin/pages/{lessons[0].pk}/view_draft/").status_code == 200
    assert b"SECRET" not in client.get(lessons[0].url).content


def test_the_per_request_user_load_brings_the_answer(django_assert_num_queries):
    from accounts.auth_backends import ModelBackend

    coach, leader = CoachFactory(), UserFactory()
    for user, expected in ((coach, True), (leader, False)):
        with django_assert_num_queries(1):
            loaded = ModelBackend().get_user(user.pk)
            assert is_coach(loaded) is expected
    coach.groups.clear()  # the next request (a new load) sees the change at once
    assert not is_coach(ModelBackend().get_user(coach.pk))


def test_the_per_request_user_load_brings_djangos_permissions(django_assert_num_queries):
    """The same query fills Django's permission cache with what Django itself would read; a
    permission given or taken applies on the next request (a new load), nothing kept between."""
    from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
    from django.contrib.auth.models import Permission

    from accounts.auth_backends import ModelBackend

    coach, leader, nobody = CoachFactory(), UserFactory(), UserFactory()
    leader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    coach.user_permissions.add(Permission.objects.get(codename="add_user"))
    for user in (coach, leader, nobody):
        expected = DjangoModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
        with django_assert_num_queries(1):
            loaded = ModelBackend().get_user(user.pk)
            assert loaded.get_all_permissions() == expected
            assert loaded.has_perm("wagtailadmin.access_admin") is ("wagtailadmin.access_admin" in expected)
    assert "accounts.coach" in ModelBackend().get_user(coach.pk).get_all_permissions()
    assert ModelBackend().get_user(nobody.pk).get_all_permissions() == set()
    coach.groups.clear()
    coach.user_permissions.clear()
    assert ModelBackend().get_user(coach.pk).get_all_permissions() == set()
    leader.user_permissions.clear()
    assert not ModelBackend().get_user(leader.pk).has_perm("wagtailadmin.access_admin")
    superuser = UserFactory(is_superuser=True)  # every permission, as Django gives it
    assert ModelBackend().get_user(superuser.pk).get_all_permissions() == set(
        DjangoModelBackend().get_all_permissions(User.objects.get(pk=superuser.pk))
    )
