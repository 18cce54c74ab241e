"""The payments demo: leader enrolled by hand, a buyer with 5 seats (2 claimed); runs twice safely."""

import importlib

import pytest

from program.models import Enrollment
from program.payments.models import Payment, SeatInvitation, SeatPurchase

pytestmark = pytest.mark.django_db


def seed_all():
    for name in ["accounts.demo", "home.demo", "program.demo", "program.payments.demo"]:
        importlib.import_module(name).seed(log=lambda msg: None)


def counts():
    return [M.objects.count() for M in (Enrollment, Payment, SeatPurchase, SeatInvitation)]


def test_demo_payments_seed_is_idempotent_and_matches_the_story(client):
    seed_all()
    first = counts()
    seed_all()

    assert counts() == first
    purchase = SeatPurchase.objects.get(buyer__email="buyer@huddle.test")
    assert purchase.quantity == 5
    assert purchase.invitations.filter(accepted_at__isnull=False).count() == 2
    assert purchase.program.price == 497
    leader = Enrollment.objects.get(user__email="leader@huddle.test")
    assert leader.source == Enrollment.Source.MANUAL and leader.is_active
    for email in ["ana@summitcrest.test", "jordan@summitcrest.test"]:
        assert Enrollment.objects.get(user__email=email).source == Enrollment.Source.SEAT

    assert client.login(email="buyer@huddle.test", password="rockstar-demo-2026")
    html = client.get(f"/company/{purchase.pk}/").content.decode()
    assert "2 seats claimed" in html and "2 free" in html
