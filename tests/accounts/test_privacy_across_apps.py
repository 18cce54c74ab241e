"""Download my data" and "delete my account" across every app (lessons, program, tracker, newsletter)."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.export import user_data_export
from accounts.models import User
from accounts.services import user_delete
from home.newsletter.models import NewsletterConsent, NewsletterSubscriber
from home.newsletter.services import newsletter_confirm, newsletter_subscribe
from lessons.models import Commitment, LessonProgress, QuizAttempt, ReflectionAnswer
from program.certificates.credentials import credential_check
from program.certificates.models import Certificate, CertificateRevision
from program.certificates.services import certificate_issue
from program.models import Enrollment
from program.payments.models import Payment, SeatInvitation, SeatPurchase
from program.webinars.models import WebinarRegistration
from program.webinars.services import webinar_register
from tests.factories import UserFactory
from tests.lessons.factories import enrol, make_lesson, make_module, make_program
from tests.program.webinars.factories import webinar
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory
from tracker.models import ActionItem, Celebration, ImprovementPlan, Member, OneOnOne, PlanCheckIn, Result, Target, Team

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 9, 1)


def add_lessons(user, program, module, tag: str, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        lesson = make_lesson(module, title=f"Lesson {tag} {n}", slug=f"lesson-{tag}-{n}")
        LessonProgress.objects.create(user=user, lesson=lesson, program=program, completed_at=timezone.now())
        QuizAttempt.objects.create(user=user, lesson=lesson, program=program, score=90, passed=True, answers={"q": [1]})
        ReflectionAnswer.objects.create(
            user=user, lesson=lesson, block_id="r1", prompt="Who needs a talk?", answer=f"reflection-{tag}-{n}"
        )
        Commitment.objects.create(user=user, lesson=lesson, block_id="c1", action=f"commit-{tag}-{n}", tracker_step=1)


def add_teams(user, tag: str, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        team = TeamFactory(leader=user, name=f"team-{tag}-{n}")
        metric = MetricFactory(team=team, name=f"metric-{tag}-{n}")
        member = MemberFactory(team=team, name=f"rep-{tag}-{n}", email=f"rep-{tag}-{n}@example.com")
        Target.objects.create(member=member, metric=metric, month=MONTH, value=Decimal("10"))
        Result.objects.create(member=member, metric=metric, month=MONTH, value=Decimal("7"))
        one = OneOnOne.objects.create(team=team, member=member, month=MONTH, notes=f"oneonone-{tag}-{n}")
        ActionItem.objects.create(
            team=team, member=member, one_on_one=one, text=f"action-{tag}-{n}", due_on=datetime.date(2026, 10, 15)
        )
        plan = ImprovementPlan.objects.create(
            team=team,
            member=member,
            flagged_month=MONTH,
            expectations=f"plan-{tag}-{n}",
            support="Weekly ride-alongs.",
            deadline=datetime.date(2026, 12, 1),
            flag_detected_on=datetime.date(2026, 10, 1),
        )
        PlanCheckIn.objects.create(plan=plan, on=datetime.date(2026, 10, 20), notes=f"checkin-{tag}-{n}")
        Celebration.objects.create(team=team, member=member, month=MONTH, title=f"celebration-{tag}-{n}")


@pytest.fixture
def world(home_page):
    """Two leaders with data in every app; every string of theirs carries their tag."""
    alice = UserFactory(email="alice.alpha@example.com", full_name="Alice Alphaname", company="Alpha Corp")
    bruno = UserFactory(email="bruno.bravo@example.com", full_name="Bruno Bravoname", company="Bravo Corp")
    program = make_program(home_page, slug="nine-steps", title="Nine Steps")
    module = make_module(program, title="Module 1", slug="m1")
    now = timezone.now()
    page = webinar(
        home_page,
        sessions=[
            {"starts_at": now + datetime.timedelta(days=3), "capacity": 2},
            {"starts_at": now - datetime.timedelta(days=3)},
        ],
    )
    upcoming, past = page.sessions.order_by("starts_at").reverse()
    for user, tag in ((alice, "alpha"), (bruno, "bravo")):
        enrol(user, program)
        add_lessons(user, program, module, tag, 2)
        add_teams(user, tag, 2)
        payment = Payment.objects.create(
            checkout_session_id=f"cs_{tag}", user=user, program=program, amount=49700, status=Payment.Status.PAID
        )
        purchase = SeatPurchase.objects.create(buyer=user, program=program, quantity=3, payment=payment)
        SeatInvitation.objects.create(
            purchase=purchase,
            email=f"invitee-{tag}@example.com",
            token_hash=hashlib.sha256(tag.encode()).hexdigest(),
            expires_at=now + datetime.timedelta(days=7),
        )
        certificate = certificate_issue(user=user, program=program, notify=False)
        certificate.pdf.save(f"{tag}.pdf", ContentFile(b"%PDF-1.7 " + user.full_name.encode()))
        webinar_register(
            session_id=upcoming.pk,
            email=user.email,
            name=user.full_name,
            company=f"company-{tag}",
            question=f"question-{tag}",
            user=user,
        )
        # Before they had an account: matched by email only.
        WebinarRegistration.objects.create(
            session=past,
            email=user.email.upper(),
            name=user.full_name,
            company=f"company-{tag}",
            status=WebinarRegistration.Status.REGISTERED,
            attended_at=past.starts_at,
        )
        newsletter_subscribe(email=user.email, first_name=tag, source="footer", ip="203.0.113.7")
        newsletter_confirm(subscriber=NewsletterSubscriber.objects.get(email=user.email), ip="203.0.113.8")
    # Bruno bought a seat that Alice accepted.
    SeatInvitation.objects.create(
        purchase=SeatPurchase.objects.get(buyer=bruno),
        email=alice.email,
        token_hash=hashlib.sha256(b"alice-seat").hexdigest(),
        expires_at=now + datetime.timedelta(days=7),
        accepted_by=alice,
        accepted_at=now,
    )
    return {"alice": alice, "bruno": bruno, "program": program, "module": module, "upcoming": upcoming}


def test_export_holds_every_section_of_own_data_and_nothing_of_anyone_else(world):
    alice = world["alice"]
    data = user_data_export(user=alice)
    dump = json.dumps(data)
    json.loads(dump)  # plain JSON already

    lessons = data["lessons"]
    assert {r["answer"] for r in lessons["reflections"]} == {"reflection-alpha-0", "reflection-alpha-1"}
    assert {c["action"] for c in lessons["commitments"]} == {"commit-alpha-0", "commit-alpha-1"}
    assert len(lessons["progress"]) == 2 and all(
        p["completed_at"] and p["first_opened_at"] for p in lessons["progress"]
    )
    assert [a["score"] for a in lessons["quiz_attempts"]] == [90, 90]

    program = data["program"]
    assert [e["program"] for e in program["enrollments"]] == ["Nine Steps"]
    assert program["enrollments"][0]["events"][0]["action"]
    assert [{k: v for k, v in p.items() if k != "id"} for p in program["payments"]] == [
        {
            "program": "Nine Steps",
            "quantity": 1,
            "amount": 49700,
            "amount_refunded": 0,
            "currency": "usd",
            "status": "paid",
            "disputed": False,
            "created_at": program["payments"][0]["created_at"],
            "fulfilled_at": None,
            "invoice_url": "",
            "invoice_pdf": "",
        }
    ]
    assert "checkout_session_id" not in dump and "cs_alpha" not in dump
    [purchase] = program["seat_purchases"]
    assert [i["email"] for i in purchase["invitations"]] == ["invitee-alpha@example.com"]
    [certificate] = program["certificates"]
    assert certificate["learner_name"] == "Alice Alphaname" and certificate["status"] == "valid"
    assert certificate["code"] == Certificate.objects.get(user=alice).code
    registrations = program["webinar_registrations"]
    assert len(registrations) == 2  # by user, and by email (made before the account)
    assert {r["company"] for r in registrations} == {"company-alpha"}

    teams = data["tracker"]["teams"]
    assert [t["name"] for t in teams] == ["team-alpha-0", "team-alpha-1"]
    for n, team in enumerate(teams):
        assert [m["name"] for m in team["members"]] == [f"rep-alpha-{n}"]
        assert [m["name"] for m in team["metrics"]] == [f"metric-alpha-{n}"]
        assert [float(t["value"]) for t in team["targets"]] == [10.0]
        assert [float(r["value"]) for r in team["results"]] == [7.0]
        assert [o["notes"] for o in team["one_on_ones"]] == [f"oneonone-alpha-{n}"]
        assert [a["text"] for a in team["action_items"]] == [f"action-alpha-{n}"]
        assert [p["expectations"] for p in team["improvement_plans"]] == [f"plan-alpha-{n}"]
        assert [c["notes"] for c in team["plan_check_ins"]] == [f"checkin-alpha-{n}"]
        assert [c["title"] for c in team["celebrations"]] == [f"celebration-alpha-{n}"]

    [subscription] = data["newsletter"]["subscriptions"]
    assert subscription["email"] == alice.email and subscription["status"] == "confirmed"
    assert [c["action"] for c in subscription["consents"]] == ["subscribe", "confirm"]
    assert subscription["consents"][0]["ip"] == "203.0.113.7" and subscription["consents"][0]["wording"]

    for foreign in ("bravo", "Bruno", world["bruno"].email):
        assert foreign.lower() not in dump.lower()


def _export_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        user_data_export(user=user)
    return len(ctx.captured_queries)


def test_export_query_count_does_not_grow_with_data(world):
    alice = world["alice"]
    before = _export_queries(alice)
    add_lessons(alice, world["program"], world["module"], "alpha", 6, start=2)
    add_teams(alice, "alpha", 6, start=2)
    after = _export_queries(alice)
    assert after == before
    assert after <= 5  # profile 1, then one query for each of lessons, program, tracker, newsletter
    data = user_data_export(user=alice)
    assert len(data["lessons"]["reflections"]) == 8 and len(data["tracker"]["teams"]) == 8


def test_export_download_holds_all_sections(client, world):
    client.force_login(world["alice"])
    data = json.loads(client.get(reverse("accounts:data_export")).content)
    assert {"profile", "lessons", "program", "tracker", "newsletter"} <= set(data)


def test_delete_removes_or_anonymises_personal_data_and_keeps_aggregates(
    client, world, django_capture_on_commit_callbacks
):
    alice, bruno = world["alice"], world["bruno"]
    email = alice.email
    cert = Certificate.objects.get(user=alice)
    CertificateRevision.objects.create(certificate=cert, old_name="Alice Oldname", new_name=alice.full_name)
    pdf_name = cert.pdf.name
    storage = cert.pdf.storage
    assert storage.exists(pdf_name)
    counts = {
        "payments": Payment.objects.count(),
        "registrations": WebinarRegistration.objects.count(),
        "certificates": Certificate.objects.count(),
        "consents": NewsletterConsent.objects.count(),
    }
    bruno_export = user_data_export(user=bruno)
    old_links = set(WebinarRegistration.objects.filter(user=alice).values_list("uuid", flat=True))
    old_links.add(NewsletterSubscriber.objects.get(email=email).uuid)

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)

    assert not User.objects.filter(pk=alice.pk).exists()
    # Lessons, enrollments, tracker: gone for Alice.
    for model in (LessonProgress, QuizAttempt, ReflectionAnswer, Commitment, Enrollment):
        assert model.objects.filter(user_id=alice.pk).count() == 0
        assert model.objects.filter(user=bruno).exists()
    assert not Team.objects.filter(name__startswith="team-alpha").exists()
    assert not Member.objects.filter(name__startswith="rep-alpha").exists()
    assert not OneOnOne.objects.filter(notes__startswith="oneonone-alpha").exists()
    assert not SeatPurchase.objects.filter(program=world["program"], invitations__email__contains="alpha").exists()

    # Payments are still counted, detached from the person.
    assert Payment.objects.count() == counts["payments"]
    payment = Payment.objects.get(checkout_session_id="cs_alpha")
    assert payment.user_id is None and payment.amount == 49700 and payment.status == Payment.Status.PAID

    # Webinar registrations: same count, nobody in them; her future seat is given back.
    assert WebinarRegistration.objects.count() == counts["registrations"]
    erased = WebinarRegistration.objects.exclude(email__icontains="bravo")
    assert erased.count() == 2
    for registration in erased:
        assert registration.user_id is None
        assert "alice" not in registration.email.lower() and registration.email.endswith(".invalid")
        assert registration.name == "Deleted account"
        assert registration.company == "" and registration.question == ""
    assert erased.get(session=world["upcoming"]).status == WebinarRegistration.Status.CANCELLED
    assert erased.exclude(session=world["upcoming"]).get().attended_at is not None  # attendance still counts
    assert not old_links & {r.uuid for r in erased}  # links in old emails lead nowhere

    # Certificates: revoked, no name, no stored PDF, no name history.
    assert Certificate.objects.count() == counts["certificates"]
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED and cert.revoked_reason == "account deleted"
    assert cert.learner_name == "" and cert.learner_email == "" and cert.user_id is None and not cert.pdf
    assert not CertificateRevision.objects.filter(certificate=cert).exists()
    assert not storage.exists(pdf_name)
    page = client.get(reverse("certificates:verify", args=[cert.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "revoked" in html and "account deleted" in html
    assert "Alice" not in html and "Awarded to" not in html
    badge = client.get(reverse("certificates:verify_json", args=[cert.code])).json()
    assert "Alice" not in json.dumps(badge) and "identifier" not in badge["credentialSubject"]  # no email hash left
    signed = client.get(reverse("certificates:verify_jwt", args=[cert.code])).content.decode()
    assert credential_check(signed).revoked is True  # the status list says so

    # Newsletter: the subscriber is gone as a person; the ledger stays under a hashed address.
    assert not NewsletterSubscriber.objects.filter(email__iexact=email).exists()
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    tombstone = NewsletterSubscriber.objects.get(email__startswith=digest)
    assert tombstone.status == NewsletterSubscriber.Status.UNSUBSCRIBED and tombstone.first_name == ""
    assert [c.action for c in tombstone.consents.all()] == ["subscribe", "confirm", "unsubscribe"]
    assert not tombstone.consents.exclude(ip=None).exists()
    assert tombstone.uuid not in old_links
    assert NewsletterConsent.objects.count() == counts["consents"] + 1

    # A seat she accepted from Bruno's purchase: still counted, without her address.
    accepted = SeatInvitation.objects.get(token_hash=hashlib.sha256(b"alice-seat").hexdigest())
    assert accepted.accepted_at is not None and accepted.accepted_by_id is None and "alice" not in accepted.email

    # Nothing anywhere still holds her address or name.
    for model, field in (
        (WebinarRegistration, "email"),
        (NewsletterSubscriber, "email"),
        (SeatInvitation, "email"),
        (Certificate, "learner_email"),
    ):
        assert not model.objects.filter(**{f"{field}__iexact": email}).exists()
    assert not Certificate.objects.filter(learner_name__contains="Alice").exists()
    assert not WebinarRegistration.objects.filter(name__contains="Alice").exists()

    # Bruno is untouched (but for Alice's address on the seat she took from him).
    bruno_after = user_data_export(user=bruno)
    for export in (bruno_export, bruno_after):
        for invitation in export["program"]["seat_purchases"][0]["invitations"]:
            if "bravo" not in invitation["email"]:
                invitation["email"] = "(the deleted account's)"
    for section in ("lessons", "program", "tracker", "newsletter"):
        assert bruno_after[section] == bruno_export[section], section
    assert NewsletterSubscriber.objects.get(email=bruno.email).consents.exclude(ip=None).count() == 2


def test_deleting_frees_the_seat_for_the_first_person_waiting(world, django_capture_on_commit_callbacks):
    session = world["upcoming"]  # capacity 2: Alice and Bruno hold the seats
    waiting = webinar_register(session_id=session.pk, email="carol@example.com", name="Carol Waiting")
    assert waiting.status == WebinarRegistration.Status.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=world["alice"])
    waiting.refresh_from_db()
    assert waiting.status == WebinarRegistration.Status.REGISTERED


def test_a_failing_receiver_leaves_everything_in_place(world):
    alice = world["alice"]
    # A receiver that runs after ours fails: nothing of the anonymising already done may remain.
    from accounts.signals import account_deleting

    def boom(sender, user, **kwargs):
        raise RuntimeError("storage offline")

    account_deleting.connect(boom, dispatch_uid="test.boom")
    try:
        with pytest.raises(RuntimeError):
            user_delete(user=alice)
    finally:
        account_deleting.disconnect(dispatch_uid="test.boom")
    assert User.objects.filter(pk=alice.pk).exists()
    assert Certificate.objects.get(user=alice).learner_name == "Alice Alphaname"
    assert NewsletterSubscriber.objects.filter(email=alice.email, status="confirmed").exists()
    assert WebinarRegistration.objects.filter(user=alice, name="Alice Alphaname").exists()
