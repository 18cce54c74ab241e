from django.urls import reverse

from tracker.demo import team as demo
from tracker.models import Result, Target, TargetAcknowledgement, Team
from tracker.rules import add_months
from tracker.selectors import current_month, team_board


def test_demo_seed_tells_the_story_and_is_idempotent(db):
    from accounts import demo as accounts_demo

    accounts_demo.seed(log=lambda m: None)
    demo.seed(log=lambda m: None)
    counts = (
        Team.objects.count(),
        Target.objects.count(),
        Result.objects.count(),
        TargetAcknowledgement.objects.count(),
    )
    demo.seed(log=lambda m: None)
    assert counts == (
        Team.objects.count(),
        Target.objects.count(),
        Result.objects.count(),
        TargetAcknowledgement.objects.count(),
    )
    team = Team.objects.get()
    assert team.members.count() == 8
    last = add_months(current_month(), -1)
    board = team_board(team=team, month=last, history=12)
    by_name = {r.member.name.split()[0]: r for r in board.rows}
    assert by_name["Dana"].rank == 1
    grace = [h for h in by_name["Grace"].history]
    assert grace[-1] < grace[-3] < grace[-5]
    luis = [h for h in by_name["Luis"].history if h is not None]
    assert luis[-1] > luis[0]
    outstanding = TargetAcknowledgement.objects.filter(
        communication__month=current_month(), acknowledged_at__isnull=True
    )
    assert [a.member.name for a in outstanding] == ["Owen Fletcher"]


def test_demo_seat_holder_shares_her_rhythm_so_the_buyer_sees_her_steps(client, db):
    import importlib

    from accounts.models import User
    from program.payments.models import SeatPurchase
    from tracker.demo import seat_holder
    from tracker.models import OneOnOne

    def seed_all():
        for name in ["accounts.demo", "home.demo", "program.demo", "program.payments.demo", "tracker.demo"]:
            importlib.import_module(name).seed(log=lambda m: None)

    seed_all()
    counts = (Team.objects.count(), Target.objects.count(), Result.objects.count(), OneOnOne.objects.count())
    seed_all()
    assert (Team.objects.count(), Target.objects.count(), Result.objects.count(), OneOnOne.objects.count()) == counts

    ana = User.objects.get(email=seat_holder.EMAIL)
    assert ana.share_rhythm_with_company is True
    # Every demo user shares one hash of the demo password (hashed once per seeding), and it works.
    demo_users = User.objects.filter(email__in=["coach@huddle.test", "leader@huddle.test", seat_holder.EMAIL])
    assert len({u.password for u in demo_users}) == 1
    assert all(u.check_password("rockstar-demo-2026") for u in demo_users)
    assert User.objects.get(email="jordan@summitcrest.test").share_rhythm_with_company is False
    assert Team.objects.get(leader=ana).members.count() == 4

    purchase = SeatPurchase.objects.get(buyer__email="buyer@huddle.test")
    assert client.login(email="buyer@huddle.test", password="rockstar-demo-2026")
    html = client.get(reverse("tracker:company_adoption", args=[purchase.pk])).content.decode()
    ana_row = html[html.index("Ana Delgado") :].split("</tr>")[0]
    jordan_row = html[html.index("Jordan Pike") :].split("</tr>")[0]
    # Targets sent, results presented, every 1:1 held, nobody below par; no celebration recorded.
    assert f"{seat_holder.TEAM_NAME}: 4 of 5 steps" in ana_row
    assert "Not shared" in jordan_row and "steps" not in jordan_row
    assert "Maya" not in html and "Chen" not in html  # never her people's names
