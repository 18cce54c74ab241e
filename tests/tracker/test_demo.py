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
