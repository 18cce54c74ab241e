"""Ranks agree with what is shown, and one definition of a personal best everywhere."""

import datetime
from decimal import Decimal as D

from django.urls import reverse

from tracker.rules import add_months, competition_ranks, is_personal_best
from tracker.selectors import celebrations_page, meeting_context

from .factories import put

MARCH = datetime.date(2024, 3, 1)


def test_equal_displayed_percentages_share_a_rank():
    # 95.4% and 94.6% both show as 95%: they share rank 2, and the next is 4 (1, 2, 2, 4).
    ranks = competition_ranks({"a": D("1.10"), "b": D("0.954"), "c": D("0.946"), "d": D("0.90"), "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_rankings_page_shows_shared_ranks_for_equal_shown_values(team, members, metrics, leader_client):
    ana, ben, cy = members
    for member, result in ((ana, "120"), (ben, "95.4"), (cy, "94.6")):
        for metric in metrics[:2]:
            put(member, metric, MARCH, 100, result)
        put(member, metrics[2], MARCH, 100, "100")  # lower is better: 100%
    board = meeting_context(team, MARCH)["board"]
    ranks = {r.member.name: (r.rank, r.percent) for r in board.rows}
    assert ranks["Ben Cole"][1] == ranks["Cy Lane"][1]  # shown the same
    assert ranks["Ben Cole"][0] == ranks["Cy Lane"][0] == 2
    assert leader_client.get(reverse("tracker:rankings", args=[team.pk, MARCH])).status_code == 200


def test_personal_best_definition():
    assert is_personal_best(D("10"), highest=D("9"), lowest=D("5"), months_before=3)
    assert not is_personal_best(D("10"), highest=D("9"), lowest=D("5"), months_before=2)  # too little history
    assert not is_personal_best(D("9"), highest=D("9"), lowest=D("5"), months_before=3)  # equal is not a best
    assert is_personal_best(D("4"), highest=D("9"), lowest=D("5"), months_before=3, higher_is_better=False)
    assert not is_personal_best(None, highest=D("9"), lowest=D("5"), months_before=3)


def test_meeting_and_celebrations_agree_on_personal_bests(team, members, metrics):
    ana, ben, _ = members
    sales = metrics[0]
    for i, value in enumerate(("100", "110", "105")):  # three earlier months
        put(ana, sales, add_months(MARCH, -3 + i), 100, value)
        put(ben, sales, add_months(MARCH, -3 + i), 100, value)
    put(ana, sales, MARCH, 200, "150")  # her best result, though only 75% of a raised target
    put(ben, sales, MARCH, 50, "108")  # 216% of a lowered target, but not his best result
    bests = [(m.name, c.metric.name) for m, c in meeting_context(team, MARCH)["personal_bests"]]
    celebrated = [
        (c.member.name, c.metric.name)
        for c in celebrations_page(team=team, month=MARCH).to_celebrate
        if c.kind == "personal_best"
    ]
    assert bests == celebrated == [("Ana Diaz", "Sales")]


def test_meeting_page_names_the_best_and_its_value(team, members, metrics, leader_client):
    ana = members[0]
    for i, value in enumerate(("100", "110", "105")):
        put(ana, metrics[0], add_months(MARCH, -3 + i), 100, value)
    put(ana, metrics[0], MARCH, 100, "1500")
    page = leader_client.get(reverse("tracker:meeting", args=[team.pk, MARCH])).content.decode()
    assert "Ana Diaz (Sales: $1,500)" in page
