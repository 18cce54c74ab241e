"""Bad input inside the app (a logged-in leader's forms, the tracker, the Stripe webhook) gets a clear
400/404 or a form error, never a 500, and changes nothing. Run on PostgreSQL too: NUL bytes only
fail there (`DATABASE_URL=postgres://... pytest tests/security`)."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lessons.models import ReflectionAnswer
from tests.lessons.factories import QUIZ_BODY, enrol, make_course, make_lesson
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.models import Celebration, ConsistencySettings, Result, ResultImport, TeamCoLeader

pytestmark = pytest.mark.django_db

LAST = datetime.date(2026, 1, 1)


@pytest.fixture
def raising_client():
    return Client(raise_request_exception=False)


@pytest.fixture
def tracker(raising_client, home_page):
    leader = TrackerUserFactory()
    team = TeamFactory(leader=leader)
    member = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com")
    metric = MetricFactory(team=team, name="Sales")
    raising_client.force_login(leader)
    return raising_client, team, member, metric


def test_a_nul_byte_in_a_reflection_answer_is_refused(raising_client, home_page, user):
    program, modules, _ = make_course(home_page, modules=1, lessons=1)
    quiz = make_lesson(modules[0], title="Quiz", body=QUIZ_BODY)
    enrol(user, program)
    raising_client.force_login(user)
    block_id = next(b.id for b in quiz.body if b.block_type == "reflection")
    response = raising_client.post(f"/lessons/{quiz.pk}/reflection/{block_id}/", {"answer": "Talk\x00 to Sam"})
    assert response.status_code == 400
    assert not ReflectionAnswer.objects.exists()


@pytest.mark.parametrize(
    "where",
    [
        lambda team: (f"/tracker/{team.pk}/celebrations/2026-01/", {"action": "custom", "own-title": "Top\x00"}),
        lambda team: (f"/tracker/{team.pk}/celebrations/2026-01/", {"action": "record", "title": "Best\x00"}),
        lambda team: (f"/tracker/{team.pk}/members/", {"name": "Rosa\x00", "start_date": "2024-01-01"}),
        lambda team: (f"/tracker/{team.pk}/settings/", {"team-name": "North\x00"}),
        lambda team: (f"/tracker/{team.pk}/?q=\x00", {}),
    ],
    ids=["custom-celebration", "recorded-celebration", "member", "team-name", "query-string"],
)
def test_a_nul_byte_in_any_tracker_field_is_a_400_and_changes_nothing(tracker, where):
    client, team, member, _ = tracker
    url, data = where(team)
    data = {key: value.replace("MEMBER", str(member.pk)) for key, value in data.items()}
    data.setdefault("own-member", str(member.pk))
    data.setdefault("member", str(member.pk))
    response = client.post(url, data) if data.get("action") or "?" not in url else client.get(url)
    assert response.status_code == 400
    assert not Celebration.objects.exists()
    team.refresh_from_db()
    assert "\x00" not in team.name and team.members.count() == 1


def test_a_nul_byte_in_a_url_is_a_400(raising_client, home_page):
    response = raising_client.get("/about%00us/")
    assert response.status_code == 400
    assert b"We couldn't read that request" in response.content


def test_a_csv_import_with_a_nul_past_the_first_8_kb_is_refused_as_binary(tracker):
    client, team, member, metric = tracker
    rows = "".join(f"Ana Diaz,2025-{m:02d},{m}\n" for m in range(1, 13))
    data = ("member,month,Sales\n" + rows + "# " + "x" * 9000 + "\n" + "Ana\x00 Diaz,2025-01,5\n").encode()
    response = client.post(f"/tracker/{team.pk}/import/", {"file": SimpleUploadedFile("r.csv", data)})
    assert response.status_code == 302
    preview = ResultImport.objects.get()
    assert [p["message"] for p in preview.problems] == [
        "This looks like a binary file (a spreadsheet?), not CSV. Use File > Save As > CSV UTF-8."
    ]
    assert not preview.rows and not Result.objects.exists()


@pytest.mark.parametrize("value", ["abc", "²", "1.5", "9" * 40, "-1", ""])
def test_odd_member_and_metric_ids_on_a_recorded_celebration_are_not_found(tracker, value):
    client, team, member, metric = tracker
    url = f"/tracker/{team.pk}/celebrations/2026-01/"
    for data in ({"member": value}, {"member": str(member.pk), "metric": value}):
        response = client.post(url, {"action": "record", "kind": "custom", "title": "Best month", **data})
        assert response.status_code == 404 if value else response.status_code in (302, 404)
    if value:
        assert not Celebration.objects.exists()


@pytest.mark.parametrize("value", ["abc", "²", "", "9" * 40, "-1"])
def test_an_odd_co_leader_to_remove_changes_nothing(tracker, value):
    client, team, _, _ = tracker
    other = TrackerUserFactory()
    TeamCoLeader.objects.create(team=team, user=other)
    response = client.post(f"/tracker/{team.pk}/settings/", {"remove": value})
    assert response.status_code == 302
    assert TeamCoLeader.objects.filter(team=team, user=other).exists()


@pytest.mark.parametrize("value", ["abc", "²", "٣", "9" * 40])
def test_an_odd_apply_to_all_metric_is_a_message(tracker, value):
    client, team, member, metric = tracker
    response = client.post(f"/tracker/{team.pk}/targets/2026-01/", {"apply": value, f"apply_{value}": "5"})
    assert response.status_code in (200, 400)
    assert "Type a number" in response.content.decode()


@pytest.mark.parametrize("target", ["dashboard", "tracker:team", "team_list", "//evil.test/", "https://evil.test/"])
def test_an_odd_next_on_an_action_item_goes_back_to_the_reviews(tracker, target):
    from tracker.models import ActionItem

    client, team, member, _ = tracker
    item = ActionItem.objects.create(team=team, member=member, text="Call the two stalled buyers", due_on=LAST)
    response = client.post(f"/tracker/{team.pk}/actions/{item.pk}/done/", {"done": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/tracker/{team.pk}/reviews/"


def test_a_local_next_on_an_action_item_is_followed(tracker):
    from tracker.models import ActionItem

    client, team, member, _ = tracker
    item = ActionItem.objects.create(team=team, member=member, text="Call the two stalled buyers", due_on=LAST)
    response = client.post(f"/tracker/{team.pk}/actions/{item.pk}/done/", {"done": "1", "next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"


@pytest.mark.parametrize("field", ["threshold_percent", "publish_within_days", "review_within_days", "act_within_days"])
@pytest.mark.parametrize("number", ["9" * 30, "99999999", "32768", "-5", "1e9", "²"])
def test_a_huge_number_in_the_consistency_settings_is_a_form_error(tracker, field, number):
    client, team, _, _ = tracker
    data = {
        "settings-threshold_percent": "80",
        "settings-publish_within_days": "5",
        "settings-review_within_days": "15",
        "settings-act_within_days": "14",
        f"settings-{field}": number,
    }
    response = client.post(f"/tracker/{team.pk}/consistency/", data)
    assert response.status_code == 400
    assert "Ensure this value" in response.content.decode() or "Enter a whole number" in response.content.decode()
    assert not ConsistencySettings.objects.exists()


@pytest.mark.parametrize(
    "params",
    [{"session_id": "x" * 5000}, {"session_id": "cs_../../v1/customers"}, {"session_id": ["a", "b"]}, {}],
)
def test_odd_checkout_session_ids_on_the_success_page_are_not_found(tracker, params):
    client, *_ = tracker
    assert client.get("/checkout/success/", params).status_code == 404


@pytest.mark.parametrize("session", ["²", "abc", "9" * 40, "-1", "", "1.0"])
def test_odd_webinar_session_ids_are_a_form_error(raising_client, home_page, session):
    from program.webinars.models import WebinarRegistration
    from tests.program.webinars.factories import webinar

    page = webinar(home_page)
    data = {"session": session, "name": "Rosa", "email": "rosa@example.com"}
    assert raising_client.post(page.url, data).status_code == 400
    assert not WebinarRegistration.objects.exists()


def _payment_counts():
    from program.models import Enrollment
    from program.payments.models import Payment, StripeEvent

    return Payment.objects.count(), StripeEvent.objects.count(), Enrollment.objects.count()


@pytest.mark.parametrize(
    "event",
    [
        {"id": "evt_1", "object": "event"},
        {"id": "evt_1", "type": "checkout.session.completed"},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {}},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": []}},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {}}},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": 7}}},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": "cs_" + "x" * 400}}},
        {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": "../v1/customers"}}},
        {"id": "evt_1", "type": "checkout.session.async_payment_failed", "data": {"object": {"id": None}}},
        {"id": "evt_1", "type": "charge.refunded", "data": {"object": {"payment_intent": {"id": 3}}}},
        {
            "id": "evt_1",
            "type": "charge.refunded",
            "data": {"object": {"payment_intent": "pi_1", "amount_refunded": "x"}},
        },
        {
            "id": "evt_1",
            "type": "charge.refunded",
            "data": {"object": {"payment_intent": "pi_1", "amount_refunded": -5}},
        },
        {"id": "evt_1", "type": "charge.dispute.created", "data": {"object": {"payment_intent": ["pi_1"]}}},
        {"id": "evt_1", "type": "charge.dispute.created", "data": {"object": {"payment_intent": "pi_1", "reason": 4}}},
        {"id": ["evt_1"], "type": "charge.refunded", "data": {"object": {}}},
        {"id": "evt_" + "1" * 400, "type": "charge.refunded", "data": {"object": {}}},
        {"id": "evt_1", "type": ["charge.refunded"], "data": {"object": {}}},
        [],
        "event",
        7,
    ],
)
def test_a_correctly_signed_event_of_an_odd_shape_is_refused_and_records_nothing(
    raising_client, settings, home_page, event
):
    from tests.program.payments.fake_stripe import WEBHOOK_SECRET, sign

    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    before = _payment_counts()
    payload = json.dumps(event)
    response = raising_client.post(
        "/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload)
    )
    assert response.status_code in (200, 400)
    assert _payment_counts() == before
