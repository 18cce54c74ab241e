"""The world the URL x role walker probes: one first leader with a course, a team and its data, and
the seven other people who must (or must not) see it. Every URL argument is a REAL id or token of
the first leader's objects, so "another leader" probes someone else's data."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from tests.factories import CoachFactory, UserFactory
from tests.lessons.factories import enrol, make_course
from tests.program.webinars.factories import webinar
from tests.tracker.factories import MemberFactory, MetricFactory, TeamFactory, TrackerUserFactory
from tracker.rules import add_months, month_start

ROLES = ("anonymous", "verified", "unverified", "leader", "other_leader", "coleader", "buyer", "coach")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    args: dict = field(default_factory=dict)  # URL keyword -> value (the first leader's objects)
    pk_for: dict = field(default_factory=dict)  # URL name -> the `pk` that fits it
    pages: list = field(default_factory=list)
    team_path: str = ""


def build(home) -> World:
    from lessons.models import Commitment
    from program.certificates.services import certificate_issue
    from program.payments.models import SeatInvitation, SeatPurchase
    from tracker import services
    from tracker.services import coleaders
    from tracker.services.sharing import board_link_create

    w = World()
    program, modules, lessons = make_course(home, modules=1, lessons=2)
    talk = webinar(home)
    issue = _newsletter_issue(home)
    w.pages = [
        home,
        program,
        modules[0],
        lessons[0],
        talk.get_parent().specific,
        talk,
        issue.get_parent().specific,
        issue,
    ]

    leader = TrackerUserFactory(email="first.leader@example.com")
    enrollment = enrol(leader, program)
    team = TeamFactory(leader=leader, name="North Sales")
    metric = MetricFactory(team=team, name="Sales")
    ana = MemberFactory(team=team, name="Ana Diaz", email="ana@example.com", start_date=datetime.date(2024, 1, 1))
    this = month_start(timezone.localdate())
    last = add_months(this, -1)
    services.month_values_save(team=team, month=last, kind="targets", values={(ana.pk, metric.pk): Decimal(100)})
    services.month_values_save(team=team, month=last, kind="results", values={(ana.pk, metric.pk): Decimal(60)})
    one = services.one_on_one_hold(
        team=team, member=ana, month=last, held_at=timezone.now(), notes="private", discussed_gap=True, agenda={}
    )
    item = services.action_item_create(team=team, member=ana, owner="member", text="Follow up", due_on=this)
    plan = services.plan_open(
        team=team, member=ana, month=last, expectations="e", support="s", deadline=this + datetime.timedelta(days=40)
    )
    cheer = services.celebration_record(team=team, member=ana, month=last, kind="custom", title="t", note="n")
    preview = services.results_import_preview(
        team=team, uploaded_by=leader, filename="m.csv", data=f"member,month,Sales\nAna Diaz,{last:%Y-%m},70\n".encode()
    )
    link = board_link_create(team=team, created_by=leader)
    from tracker.models import ValueChange

    change = ValueChange.objects.filter(team=team).first()
    certificate = certificate_issue(enrollment=enrollment, notify=False)
    commitment = Commitment.objects.create(
        user=leader, lesson=lessons[0], block_id="b1", action="Send numbers", tracker_step=1
    )

    other = TrackerUserFactory(email="other.leader@example.com")
    enrol(other, program)
    other_team = TeamFactory(leader=other, name="South Sales")
    MemberFactory(team=other_team, name="Zed Other")

    coleader = UserFactory(email="co.leader@example.com")
    invitation = coleaders.coleader_invite(team=team, email=coleader.email)
    coleaders.coleader_accept(token=_token(invitation), user=coleader)
    pending = coleaders.coleader_invite(team=team, email="not.yet@example.com")  # the owner may withdraw it

    buyer = UserFactory(email="buyer@example.com")
    purchase = SeatPurchase.objects.create(buyer=buyer, program=program, quantity=3)
    seat = SeatInvitation.objects.create(
        purchase=purchase, email="seat@example.com", token_hash="x" * 64, expires_at=timezone.now()
    )

    w.users = {
        "anonymous": None,
        "verified": UserFactory(email="fresh@example.com"),
        "unverified": UserFactory(email="unverified@example.com", verified=False),
        "leader": leader,
        "other_leader": other,
        "coleader": coleader,
        "buyer": buyer,
        "coach": CoachFactory(email="coach@example.com"),
    }
    for role, user in w.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        w.clients[role] = client

    w.args = {
        "team_id": team.pk,
        "leader_id": leader.pk,
        "member_id": ana.pk,
        "metric_id": metric.pk,
        "month": last,
        "import_id": preview.pk,
        "change_id": change.pk,
        "one_on_one_id": one.pk,
        "item_id": item.pk,
        "plan_id": plan.pk,
        "celebration_id": cheer.pk,
        "link_id": link.pk,
        "invitation_id": pending.pk,
        "key": link.key,
        "number": 1,
        "kind": "results",
        "block_id": "b1",
        "program_id": program.pk,
        "code": certificate.code,
        "token": "not-a-real-token",
        "restriction_id": 1,  # no such restriction: the door must still not fail
        "page_view_restriction_id": 1,
        "page_id": lessons[0].pk,
    }
    w.pk_for = {
        "payments:company_detail": purchase.pk,
        "payments:company_more_seats": purchase.pk,
        "payments:company_billing": purchase.pk,
        "tracker:company_adoption": purchase.pk,
        "payments:invitation_revoke": seat.pk,
        "payments:invitation_reassign": seat.pk,
        "lessons:complete": lessons[0].pk,
        "lessons:quiz": lessons[0].pk,
        "lessons:reflection": lessons[0].pk,
        "lessons:commit": lessons[0].pk,
        "lessons:commitment_done": commitment.pk,
    }
    w.team_path = f"/tracker/{team.pk}/"
    return w


def _token(invitation) -> str:
    from tracker.services.coleaders import INVITATION_SALT, make_token

    return make_token(invitation.key, salt=INVITATION_SALT)


def _newsletter_issue(home):
    from home.newsletter.models import NewsletterIndexPage, NewsletterIssuePage

    index = NewsletterIndexPage(title="Newsletter", slug="newsletter")
    home.add_child(instance=index)
    index.save_revision().publish()
    issue = NewsletterIssuePage(
        title="Issue 1", slug="issue-1", subject="The monthly 1:1", preheader="p", body=[("text", "<p>Hold it.</p>")]
    )
    index.add_child(instance=issue)
    issue.save_revision().publish()
    NewsletterIssuePage.objects.filter(pk=issue.pk).update(sent_at=timezone.now())  # sent: on the site
    return issue
