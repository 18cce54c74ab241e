"""The company buyer's adoption view: their seats only, progress for all, the rhythm only when shared."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import LessonProgress
from program.payments.models import SeatInvitation, SeatPurchase
from tests.factories import PASSWORD, UserFactory
from tests.lessons.factories import enrol, make_lesson, make_module, make_program
from tests.tracker.factories import MemberFactory, TeamFactory


@pytest.fixture
def course(home_page):
    program = make_program(home_page, slug="nine-steps", title="9 Steps")
    module = make_module(program, title="Step one", slug="step-one")
    lessons = [make_lesson(module, title=f"Lesson {n}", slug=f"l{n}") for n in range(4)]
    return program, lessons


@pytest.fixture
def buyer(db):
    return UserFactory(full_name="Tom Okafor", company="Summit Homes")


def seat(purchase, user, n):
    now = timezone.now()
    SeatInvitation.objects.create(
        purchase=purchase,
        email=user.email,
        token_hash=f"{n:064d}",
        expires_at=now + datetime.timedelta(days=7),
        accepted_by=user,
        accepted_at=now,
    )
    return enrol(user, purchase.program)


def holder(purchase, n, *, shares, team):
    user = UserFactory(full_name=f"Leader {n}", share_rhythm_with_company=shares, share_consistency_with_coach=True)
    seat(purchase, user, n)
    t = TeamFactory(leader=user, name=team)
    MemberFactory(team=t, name=f"Rep Secret {n}")
    return user


def url(purchase):
    return reverse("tracker:company_adoption", args=[purchase.pk])


def test_only_the_buyer_sees_their_companys_adoption(client, course, buyer):
    program, _ = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    leader = holder(purchase, 1, shares=True, team="North Sales")
    other_buyer = UserFactory()
    SeatPurchase.objects.create(buyer=other_buyer, program=program, quantity=2)
    assert client.get(url(purchase)).status_code == 302  # to log in
    for user in (leader, other_buyer, UserFactory(is_staff=True)):
        client.login(email=user.email, password=PASSWORD)
        assert client.get(url(purchase)).status_code == 404
    client.login(email=buyer.email, password=PASSWORD)
    assert client.get(url(purchase)).status_code == 200
    assert client.get(reverse("tracker:company_adoption", args=[999999])).status_code == 404


def test_the_coach_is_not_the_buyer(client, course, buyer):
    from tests.factories import CoachFactory

    program, _ = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    client.login(email=CoachFactory().email, password=PASSWORD)
    assert client.get(url(purchase)).status_code == 404


def test_progress_for_everyone_rhythm_only_for_those_who_share(client, course, buyer):
    program, lessons = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    sharing = holder(purchase, 1, shares=True, team="North Sales")
    private = holder(purchase, 2, shares=False, team="Private Team")
    for lesson in lessons[:2]:
        LessonProgress.objects.create(user=sharing, program=program, lesson=lesson, completed_at=timezone.now())
    LessonProgress.objects.create(user=private, program=program, lesson=lessons[0], completed_at=timezone.now())
    SeatInvitation.objects.create(
        purchase=purchase,
        email="waiting@example.com",
        token_hash="w" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.login(email=buyer.email, password=PASSWORD)
    html = client.get(url(purchase)).content.decode()
    assert "2 of 3 seats accepted" in html
    assert "2 of 4 (50%)" in html and "1 of 4 (25%)" in html  # progress for both
    assert "North Sales: " in html and "of 5 steps" in html
    assert "Private Team" not in html and "Not shared" in html
    assert "Rep Secret" not in html  # never a rep's name
    assert "waiting@example.com" in html


def test_empty_state(client, course, buyer):
    program, _ = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    client.login(email=buyer.email, password=PASSWORD)
    html = client.get(url(purchase)).content.decode()
    assert "Nobody has accepted a seat yet" in html


def test_the_company_page_links_to_adoption(client, course, buyer):
    program, _ = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    client.login(email=buyer.email, password=PASSWORD)
    assert url(purchase) in client.get(reverse("payments:company_detail", args=[purchase.pk])).content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_adoption_query_count_does_not_grow(client, course, buyer, size):
    program, lessons = course
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=10)
    for n in range(size):
        user = holder(purchase, n, shares=n % 2 == 0, team=f"Team {n}")
        LessonProgress.objects.create(user=user, program=program, lesson=lessons[0], completed_at=timezone.now())
    client.login(email=buyer.email, password=PASSWORD)
    client.get(url(purchase))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url(purchase)).content.decode()
    assert html.count("1 of 4 (25%)") == size
    assert len(ctx.captured_queries) <= 16, "\n".join(q["sql"][:150] for q in ctx.captured_queries)


def test_sharing_with_the_company_is_its_own_choice_in_the_profile(client, home_page):
    user = UserFactory(share_consistency_with_coach=True)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Share my monthly rhythm with the company that bought my seat" in page
    data = {"full_name": "A", "company": "", "job_title": "", "time_zone": "America/Denver"}
    client.post(reverse("accounts:profile"), {**data, "share_consistency_with_coach": "on"})
    user.refresh_from_db()
    assert user.share_consistency_with_coach is True and user.share_rhythm_with_company is False
    client.post(reverse("accounts:profile"), {**data, "share_rhythm_with_company": "on"})
    user.refresh_from_db()
    assert user.share_consistency_with_coach is False and user.share_rhythm_with_company is True
