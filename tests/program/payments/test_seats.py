# ruff: noqa: F811  (pytest fixtures imported from fake_stripe)
"""Company seats: buying N seats, inviting, revoking, reassigning, accepting once."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from program.models import Enrollment
from program.payments.models import SeatInvitation, SeatPurchase
from program.payments.seats import SeatError, seat_accept, seat_invite
from tests.factories import UserFactory
from tests.program.payments.fake_stripe import (  # noqa: F401  (fixtures)
    fake_stripe,
    priced_program,
    signed_post,
    start_checkout,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = UserFactory(email="tom@summitcrest.test")
    client.force_login(user)
    return user


@pytest.fixture
def purchase(client, fake_stripe, priced_program, buyer) -> SeatPurchase:
    session_id = start_checkout(client, priced_program, quantity=3)
    fake_stripe.pay(session_id)
    signed_post(client, fake_stripe.session_event(session_id))
    return SeatPurchase.objects.get(buyer=buyer)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invite form; run the on-commit email like a real commit would."""

    def post(client, purchase, email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/company/{purchase.pk}/", {"email": email})

    return post


def last_token() -> str:
    return re.search(r"/seats/accept/([^/]+)/", mail.outbox[-1].body).group(1)


def test_buying_several_seats_creates_a_company_purchase_not_an_enrollment(purchase, buyer, fake_stripe):
    assert purchase.quantity == 3
    assert purchase.payment.amount == 3 * 49700
    assert not Enrollment.objects.filter(user=buyer).exists()
    _, _, params = next(r for r in fake_stripe.requests if r[1] == "/v1/checkout/sessions")
    assert params["line_items"][0]["quantity"] == "3"


def test_company_page_shows_seats_used_and_free(client, purchase):
    html = client.get(f"/company/{purchase.pk}/").content.decode()

    assert "0 seats claimed" in html and "3 free" in html


def test_invite_emails_a_one_time_link_and_accepting_enrols(invite, client, purchase, priced_program):
    response = invite(client, purchase, "Ana@SummitCrest.test")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["ana@summitcrest.test"]
    token = last_token()
    assert not SeatInvitation.objects.filter(token_hash=token).exists()  # only the hash is stored

    ana = UserFactory(email="ana@summitcrest.test")
    client.force_login(ana)
    response = client.post(f"/seats/accept/{token}/")

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=ana, program=priced_program)
    assert (enrollment.source, enrollment.status) == (Enrollment.Source.SEAT, Enrollment.Status.ACTIVE)
    assert SeatInvitation.objects.get().accepted_by == ana


def test_anonymous_visitor_is_asked_to_log_in_and_comes_back(invite, client, purchase):
    invite(client, purchase, "new@summitcrest.test")
    token = last_token()
    client.logout()

    page = client.get(f"/seats/accept/{token}/").content.decode()
    assert f"next=/seats/accept/{token}/" in page
    response = client.post(f"/seats/accept/{token}/")
    assert response["Location"] == f"/accounts/login/?next=/seats/accept/{token}/"
    assert SeatInvitation.objects.get().accepted_at is None


def test_a_used_invitation_cannot_be_used_again(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    token = last_token()
    client.force_login(UserFactory(email="ana@summitcrest.test"))
    client.post(f"/seats/accept/{token}/")
    intruder = UserFactory()
    client.force_login(intruder)

    response = client.post(f"/seats/accept/{token}/")

    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    assert not Enrollment.objects.filter(user=intruder).exists()


def test_an_expired_invitation_is_refused(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    token = last_token()
    SeatInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    leader = UserFactory()
    client.force_login(leader)

    response = client.post(f"/seats/accept/{token}/")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Enrollment.objects.filter(user=leader).exists()


def test_a_tampered_token_is_refused(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    token = last_token()
    leader = UserFactory()
    client.force_login(leader)

    response = client.post(f"/seats/accept/{token[:-2]}xx/")

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert not Enrollment.objects.exists()
    assert SeatInvitation.objects.get().accepted_at is None


def test_revoking_an_unused_invitation_frees_the_seat_and_kills_the_link(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    token = last_token()
    invitation = SeatInvitation.objects.get()

    client.post(f"/company/invitations/{invitation.pk}/revoke/")

    assert "3 free" in client.get(f"/company/{purchase.pk}/").content.decode()
    client.force_login(UserFactory())
    response = client.post(f"/seats/accept/{token}/")
    assert response.status_code == 400 and "withdrawn" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_reassigning_an_unclaimed_seat_sends_a_new_link(invite, client, purchase, django_capture_on_commit_callbacks):
    invite(client, purchase, "ana@summitcrest.test")
    old_token = last_token()
    invitation = SeatInvitation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/company/invitations/{invitation.pk}/reassign/", {"email": "jordan@summitcrest.test"})

    assert mail.outbox[-1].to == ["jordan@summitcrest.test"]
    new_token = last_token()
    client.force_login(UserFactory(email="ana@summitcrest.test"))
    assert client.post(f"/seats/accept/{old_token}/").status_code == 400  # the old link is dead
    client.force_login(UserFactory(email="jordan@summitcrest.test"))
    assert client.post(f"/seats/accept/{new_token}/").status_code == 302
    assert Enrollment.objects.count() == 1


def test_cannot_invite_more_people_than_seats(invite, client, purchase):
    for n in range(3):
        invite(client, purchase, f"leader{n}@summitcrest.test")

    response = invite(client, purchase, "one-too-many@summitcrest.test")

    assert response.status_code == 200
    assert "Every seat is taken or invited" in response.content.decode()
    assert SeatInvitation.objects.count() == 3


def test_accepting_is_refused_once_every_seat_is_claimed(purchase):
    # More live invitations than seats can exist (e.g. made before seats were refunded in part);
    # accepting still counts claimed seats under the purchase lock.
    tokens = []
    for n in range(3):
        tokens.append(seat_invite(purchase=purchase, email=f"l{n}@summitcrest.test")[1])
    SeatPurchase.objects.filter(pk=purchase.pk).update(quantity=2)
    for n, token in enumerate(tokens[:2]):
        seat_accept(token=token, user=UserFactory(email=f"l{n}@summitcrest.test"))

    with pytest.raises(SeatError, match="All seats"):
        seat_accept(token=tokens[2], user=UserFactory(email="l2@summitcrest.test"))
    assert Enrollment.objects.count() == 2


def test_a_leader_who_already_has_access_keeps_the_seat_free(invite, client, purchase, priced_program):
    from program.services import enrollment_grant

    leader = UserFactory()
    enrollment_grant(user=leader, program=priced_program, source=Enrollment.Source.MANUAL, reason="comped")
    invite(client, purchase, leader.email)
    token = last_token()
    client.force_login(leader)

    response = client.post(f"/seats/accept/{token}/")

    assert response.status_code == 400
    assert SeatInvitation.objects.get().accepted_at is None


def test_refunding_a_seat_purchase_revokes_its_seats(invite, client, fake_stripe, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    ana = UserFactory(email="ana@summitcrest.test")
    seat_accept(token=last_token(), user=ana)
    invite(client, purchase, "pending@summitcrest.test")
    pending_token = last_token()

    signed_post(client, fake_stripe.refund_event(purchase.payment.checkout_session_id))

    assert Enrollment.objects.get(user=ana).status == Enrollment.Status.REVOKED
    with pytest.raises(SeatError):
        seat_accept(token=pending_token, user=UserFactory(email="pending@summitcrest.test"))


def test_another_user_cannot_see_or_change_someone_elses_company(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    invitation = SeatInvitation.objects.get()
    client.force_login(UserFactory())

    assert client.get(f"/company/{purchase.pk}/").status_code == 404
    assert client.post(f"/company/{purchase.pk}/", {"email": "x@example.com"}).status_code == 404
    assert client.post(f"/company/invitations/{invitation.pk}/revoke/").status_code == 404
    assert client.post(f"/company/invitations/{invitation.pk}/reassign/", {"email": "x@example.com"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert SeatInvitation.objects.count() == 1
    assert "No company seats yet" in client.get("/company/").content.decode()


def test_company_page_query_count_does_not_grow_with_seats(client, purchase, django_assert_max_num_queries):
    SeatPurchase.objects.filter(pk=purchase.pk).update(quantity=60)
    for n in range(40):
        token = seat_invite(purchase=purchase, email=f"l{n}@summitcrest.test")[1]
        if n % 2:
            seat_accept(token=token, user=UserFactory(email=f"l{n}@summitcrest.test"))

    with django_assert_max_num_queries(12):
        response = client.get(f"/company/{purchase.pk}/")
    assert response.content.decode().count("Claimed by") == 20


def test_choosing_seats_on_the_checkout_page(client, fake_stripe, priced_program, buyer):
    page = client.get(f"/checkout/{priced_program.pk}/").content.decode()
    assert 'name="quantity"' in page and "Continue to secure payment" in page

    assert client.post(f"/checkout/{priced_program.pk}/", {"quantity": 0}).status_code == 200
    assert not fake_stripe.sessions


def test_success_page_after_a_company_purchase_links_to_the_company_page(client, fake_stripe, purchase):
    html = client.get(f"/checkout/success/?session_id={purchase.payment.checkout_session_id}").content.decode()

    assert "Payment received, access granted" in html
    assert f'href="/company/{purchase.pk}/"' in html
    assert "My company" in client.get("/dashboard/").content.decode()


def test_a_seat_is_accepted_only_by_the_invited_address(invite, client, purchase):
    invite(client, purchase, "ana@summitcrest.test")
    token = last_token()
    colleague = UserFactory(email="forwarded-to@summitcrest.test")
    client.force_login(colleague)
    response = client.post(f"/seats/accept/{token}/")
    assert response.status_code == 400 and "sent to another address" in response.content.decode()
    assert not Enrollment.objects.exists()
    unverified = UserFactory(email="ana@summitcrest.test", verified=False)
    client.force_login(unverified)
    assert client.post(f"/seats/accept/{token}/").status_code == 400
    assert SeatInvitation.objects.get().accepted_at is None
