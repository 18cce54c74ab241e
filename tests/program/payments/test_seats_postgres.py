"""Seats cannot be over-claimed, even when many invitations are accepted at the same moment."""

import pytest
from django.db import connection

from program.models import Enrollment
from program.payments.models import SeatInvitation, SeatPurchase
from program.payments.seats import SeatError, seat_accept, seat_invite
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import priced_program  # noqa: F401  (fixture)
from tests.program.payments.test_payments_postgres import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real parallel connections")


def _accept(token, user):
    def job():
        try:
            seat_accept(token=token, user=user)
        except SeatError as exc:
            return str(exc)
        return "enrolled"

    return job


def test_ten_parallel_accepts_for_five_free_seats_enrol_exactly_five(priced_program):  # noqa: F811
    buyer = UserFactory()
    purchase = SeatPurchase.objects.create(buyer=buyer, program=priced_program, quantity=10)
    tokens = [seat_invite(purchase=purchase, email=f"leader{n}@summitcrest.test")[1] for n in range(10)]
    # The buyer refunded half the seats after inviting: ten live links now compete for five seats.
    SeatPurchase.objects.filter(pk=purchase.pk).update(quantity=5)
    leaders = [UserFactory(email=f"leader{n}@summitcrest.test") for n in range(10)]

    results = run_in_parallel([_accept(token, user) for token, user in zip(tokens, leaders, strict=True)])

    assert results.count("enrolled") == 5, results
    assert results.count("All seats in this purchase have been claimed.") == 5
    assert Enrollment.objects.filter(program=priced_program, source=Enrollment.Source.SEAT).count() == 5
    assert SeatInvitation.objects.filter(accepted_at__isnull=False).count() == 5


def test_one_link_accepted_by_ten_people_at_once_is_used_once(priced_program):  # noqa: F811
    purchase = SeatPurchase.objects.create(buyer=UserFactory(), program=priced_program, quantity=5)
    _, token = seat_invite(purchase=purchase, email="shared@summitcrest.test")

    invitee = UserFactory(email="shared@summitcrest.test")  # a seat is accepted only by the invited address
    results = run_in_parallel([_accept(token, invitee) for _ in range(10)])

    assert results.count("enrolled") == 1, results
    assert Enrollment.objects.count() == 1


def test_parallel_invites_never_exceed_the_seats(priced_program):  # noqa: F811
    purchase = SeatPurchase.objects.create(buyer=UserFactory(), program=priced_program, quantity=5)

    def invite(n):
        def job():
            try:
                seat_invite(purchase=purchase, email=f"l{n}@summitcrest.test")
            except SeatError:
                return "full"
            return "invited"

        return job

    results = run_in_parallel([invite(n) for n in range(10)])

    assert results.count("invited") == 5, results
    assert SeatInvitation.objects.count() == 5
