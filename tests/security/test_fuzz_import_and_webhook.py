# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Property-based fuzzing (hypothesis) of the tracker's CSV import and the Stripe webhook: whatever
bytes a leader uploads and whatever correctly signed JSON arrives, never a 500, and a refusal
changes nothing (no result written, no payment paid, no enrollment granted, no event recorded)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program.models import Enrollment
from program.payments.models import Payment, StripeEvent
from tests.program.payments.fake_stripe import fake_stripe, sign  # noqa: F401  (fixture)
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.models import Result, ResultImport, Target

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Cells a real or a hostile spreadsheet may hold.
cell = st.one_of(
    st.sampled_from(
        ["Ana Diaz", "ana@example.com", "2025-03", "March 2025", "12", "1,234.50", "-3", "1e9", "NaN", "=1+1", ""]
    ),
    st.text(max_size=40),
    st.just("x" * 140_000),  # over the csv module's field limit
    st.just("a\x00b"),
)
delimiter = st.sampled_from([",", ";", "\t", "|"])
encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])


@st.composite
def csv_files(draw) -> bytes:
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.binary(max_size=3000))
    sep = draw(delimiter)
    header = draw(st.sampled_from([["member", "month", "Sales"], ["name", "period", "Sales", "Other"], []]))
    rows = draw(st.lists(st.lists(cell, max_size=5), max_size=8))
    text = "\n".join(sep.join(r) for r in [header, *rows])
    if draw(st.booleans()):
        text = "\n" * draw(st.integers(0, 9000)) + text  # push the interesting part past the first 8 KB
    return text.encode(draw(encoding), errors="replace")


@pytest.fixture
def import_team(home_page):
    leader = TrackerUserFactory()
    team = TeamFactory(leader=leader)
    MemberFactory(team=team, name="Ana Diaz", email="ana@example.com")
    MetricFactory(team=team, name="Sales")
    client = Client(raise_request_exception=False)
    client.force_login(leader)
    return client, team


@FUZZ
@given(data=csv_files())
def test_the_csv_import_never_fails_and_a_refused_file_changes_nothing(import_team, data):
    client, team = import_team
    before = Result.objects.count(), Target.objects.count()
    response = client.post(f"/tracker/{team.pk}/import/", {"file": SimpleUploadedFile("results.csv", data)})
    assert response.status_code < 500
    assert (Result.objects.count(), Target.objects.count()) == before  # a preview writes nothing
    preview = ResultImport.objects.order_by("-pk").first()
    if preview is not None and preview.problems:
        response = client.post(f"/tracker/{team.pk}/import/{preview.pk}/apply/")
        assert response.status_code < 500
        assert (Result.objects.count(), Target.objects.count()) == before


# JSON of any shape, and events shaped almost like Stripe's.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
stripe_ids = st.one_of(
    st.sampled_from(["cs_test_a1", "pi_test_1", "evt_test_1", "cus_1", "cs_" + "x" * 300, "../v1/customers"]),
    json_values,
)
event_types = st.sampled_from(
    [
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "charge.refunded",
        "charge.dispute.created",
        "customer.created",
    ]
)
stripe_objects = st.fixed_dictionaries(
    {},
    optional={
        "id": stripe_ids,
        "payment_intent": stripe_ids,
        "amount_refunded": json_values,
        "refunded": json_values,
        "reason": json_values,
    },
)
events = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "id": stripe_ids,
            "type": st.one_of(event_types, json_values),
            "data": st.one_of(st.fixed_dictionaries({"object": st.one_of(stripe_objects, json_values)}), json_values),
        },
    ),
)


@FUZZ
@given(event=events)
def test_a_correctly_signed_webhook_of_any_shape_never_fails(fake_stripe, home_page, event):
    client = Client(raise_request_exception=False)
    before_events = StripeEvent.objects.count()
    payload = json.dumps(event)
    response = client.post(
        "/stripe/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload)
    )
    assert response.status_code in (200, 400), response.status_code
    # Only Checkout sessions we started can be paid; a stranger's event grants nothing.
    assert not Enrollment.objects.exists()
    assert not Payment.objects.exclude(status=Payment.Status.FLAGGED).exists()
    if response.status_code == 400:
        assert StripeEvent.objects.count() == before_events
