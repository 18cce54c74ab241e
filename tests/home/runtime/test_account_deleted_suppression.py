"""Mail already queued to a deleted account's verified addresses is not sent: deleting the account
suppresses them (kept only as a hash), and the email backend drops them at send time. Signing up
again with the address and confirming it lets mail reach it again."""

import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

import home.core.mail as core_mail
from accounts.services import user_delete
from home.core.mail import email_queue, email_to_payload
from home.runtime.models import EmailSuppression
from tests.factories import UserFactory
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory, put
from tracker.rules import add_months, month_start
from tracker.services.sharing import results_share

pytestmark = pytest.mark.django_db
LAST = add_months(month_start(timezone.localdate()), -1)


@pytest.fixture(autouse=True)
def _production_mail_chain(settings):
    settings.EMAIL_BACKEND = "home.core.mail_suppression.SuppressingBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queue(monkeypatch):
    """The task queue as the worker sees it: messages wait here until `run` sends them."""
    waiting: list[dict] = []

    class Queue:
        @staticmethod
        def enqueue(*, payload):
            waiting.append(payload)

    real = core_mail.email_send
    monkeypatch.setattr(core_mail, "email_send", Queue)

    def run():
        while waiting:
            real.call(payload=waiting.pop(0))

    return waiting, run


@pytest.fixture
def rosa():
    person = UserFactory(email="rosa@example.com")
    EmailAddress.objects.create(user=person, email="Rosa.Work@example.com", verified=True, primary=False)
    EmailAddress.objects.create(user=person, email="rosa.unconfirmed@example.com", verified=False, primary=False)
    return person


def _sha(address):
    return hashlib.sha256(address.lower().encode()).hexdigest()


def test_mail_queued_to_the_verified_addresses_is_not_sent_after_deletion(
    rosa, queue, mailoutbox, django_capture_on_commit_callbacks
):
    waiting, run = queue
    team = TeamFactory(leader=TrackerUserFactory(email="second.leader@example.com"), name="South Sales")
    sales = MetricFactory(team=team, name="Sales")
    put(MemberFactory(team=team, name="Rosa Vega", email="rosa@example.com"), sales, LAST, 100, 80)
    put(MemberFactory(team=team, name="Ben Cole", email="ben@example.com"), sales, LAST, 100, 90)
    with django_capture_on_commit_callbacks(execute=True):
        results_share(team=team, month=LAST)  # another leader's monthly results email
    email_queue(EmailMessage("Lesson 3 is open", "x", to=["Rosa <ROSA.work@Example.com>"]))
    email_queue(EmailMessage("Two of you", "x", to=["rosa@example.com", "cy@example.com"]))
    email_queue(EmailMessage("Not confirmed", "x", to=["rosa.unconfirmed@example.com"]))
    assert len(waiting) == 5  # queued before the deletion, sent after it

    user_delete(user=rosa)
    run()

    sent = sorted((m.subject, tuple(m.to)) for m in mailoutbox)
    assert sent == [
        ("Not confirmed", ("rosa.unconfirmed@example.com",)),  # never confirmed: proves nothing
        ("South Sales: " + f"{LAST:%B} results", ("ben@example.com",)),
        ("Two of you", ("cy@example.com",)),
    ]
    rows = EmailSuppression.objects.all()
    assert {(r.email, r.email_hash, r.reason) for r in rows} == {
        (None, _sha("rosa@example.com"), "account_deleted"),
        (None, _sha("rosa.work@example.com"), "account_deleted"),
    }  # the addresses themselves are not kept


def test_a_bounce_row_for_the_address_is_replaced_by_the_hash(rosa):
    EmailSuppression.objects.create(email="rosa@example.com", reason="bounced", esp="Postmark")
    user_delete(user=rosa)
    assert not EmailSuppression.objects.filter(email__isnull=False).exists()
    assert EmailSuppression.objects.filter(email_hash=_sha("rosa@example.com")).exists()


def test_signing_up_again_and_confirming_lets_mail_through_again(rosa, client, home_page, queue, mailoutbox):
    waiting, run = queue
    user_delete(user=rosa)
    email_queue(EmailMessage("Queued while suppressed", "x", to=["rosa@example.com"]))
    run()
    assert mailoutbox == []

    client.post(
        reverse("account_signup"),
        {
            "full_name": "Rosa Vega",
            "email": "Rosa@Example.com",
            "company": "Bayview Homes",
            "password1": "a-long-new-password-42",
            "password2": "a-long-new-password-42",
        },
    )
    run()
    [confirmation] = mailoutbox  # the account's own mail reaches the address to confirm it
    assert confirmation.to == ["rosa@example.com"]
    email_queue(EmailMessage("Before confirming", "x", to=["rosa@example.com"]))
    run()
    assert len(mailoutbox) == 1  # not confirmed yet: still suppressed

    link = re.search(r"https?://testserver(/\S+)", confirmation.body).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email__iexact="rosa@example.com").verified
    email_queue(EmailMessage("Welcome back", "x", to=["rosa@example.com"]))
    run()
    assert [m.subject for m in mailoutbox][1:] == ["Welcome back"]
    assert not EmailSuppression.objects.filter(email_hash=_sha("rosa@example.com")).exists()
    # The other verified address of the deleted account stays suppressed.
    assert EmailSuppression.objects.filter(email_hash=_sha("rosa.work@example.com")).exists()


def test_account_mail_is_still_held_back_by_a_bounce(queue, mailoutbox):
    waiting, run = queue
    EmailSuppression.objects.create(email="gone@example.com", reason="bounced")
    message = EmailMessage("Confirm your address", "x", to=["gone@example.com"])
    message.account_mail = True
    assert email_to_payload(message)["account_mail"] is True
    email_queue(message)
    run()
    assert mailoutbox == []


def test_the_coach_sees_an_erased_row_without_the_address(client, rosa):
    from tests.factories import StaffFactory

    user_delete(user=rosa)
    client.force_login(StaffFactory())
    page = client.get(reverse("runtime_suppressions:index")).content.decode()
    assert "Account deleted" in page and "rosa@example.com" not in page
