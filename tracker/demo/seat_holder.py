"""Demo: Ana Delgado, who holds one of Summit Crest's seats, runs her team in the tracker and chose to
share her monthly rhythm with the company. So the buyer's adoption view shows her row as "4 of 5
steps" for last month: she sent the targets, presented the results, held every 1:1 and nobody was
below par, but she recorded no celebration. Jordan, the other seat holder, keeps his to himself
("Not shared"). Idempotent: if her team exists, nothing changes.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from ..data_version import bump_data_version
from ..models import MeetingPresentation, Member, OneOnOne, Result, Target, TargetCommunication, Team, TrackerAccess
from ..rules import add_months, first_working_day, month_start
from ..services import team_create

EMAIL = "ana@summitcrest.test"
TEAM_NAME = "Summit Crest: North Division"
MONTHS = 3  # in the tracker for the last three months
REPS = ["Maya Chen", "Rafael Souza", "Ines Novak", "Tom Becker"]
# metric name -> target; every rep reaches 95-115 % of it, so nobody is flagged below par
TARGETS = {
    "Sales": Decimal("900000"),
    "Closings": Decimal("2"),
    "Customer rating": Decimal("4.5"),
    "Paperwork on time": Decimal("95"),
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(min(day, timezone.localdate()), datetime.time(hour, 0)))


def _result(metric: str, target: Decimal, share: Decimal) -> Decimal:
    if metric == "Customer rating":
        return min(Decimal("5.0"), (target * share).quantize(Decimal("0.1")))
    if metric == "Paperwork on time":
        return min(Decimal("100"), (target * share).quantize(Decimal("0.1")))
    return (target * share).quantize(Decimal("1"))


def seed(*, log) -> None:
    ana = User.objects.filter(email=EMAIL).first()
    if ana is None:
        log("tracker: no seat holder to share a rhythm, skipped")
        return
    if Team.objects.filter(leader=ana, name=TEAM_NAME).exists():
        return
    this_month = month_start(timezone.localdate())
    first = add_months(this_month, -MONTHS)
    TrackerAccess.objects.get_or_create(user=ana, defaults={"note": "Demo seat holder"})
    ana.share_rhythm_with_company = True
    ana.save(update_fields=["share_rhythm_with_company"])
    team = team_create(leader=ana, name=TEAM_NAME, show_full_rankings=True)
    team.consistency_start = first
    team.save(update_fields=["consistency_start"])
    metrics = {m.name: m for m in team.metrics.all() if m.name in TARGETS}
    members = [
        Member.objects.create(
            team=team, name=name, email=f"{name.split()[0].lower()}@summitcrest.example", start_date=first
        )
        for name in REPS
    ]
    targets, results = [], []
    for index in range(MONTHS + 1):  # three finished months and this month's targets
        month = add_months(first, index)
        for number, member in enumerate(members):
            share = Decimal("0.95") + Decimal("0.05") * ((number + index) % 5)  # 95-115 %
            for name, target in TARGETS.items():
                targets.append(Target(member=member, metric=metrics[name], month=month, value=target))
                if month < this_month:
                    results.append(
                        Result(member=member, metric=metrics[name], month=month, value=_result(name, target, share))
                    )
        sent = _at(first_working_day(month) - datetime.timedelta(days=1), 8)  # a day early
        TargetCommunication.objects.create(team=team, month=month, sent_at=sent, last_sent_at=sent, sent_by=ana)
        if month == this_month:
            continue
        presented = _at(first_working_day(add_months(month, 1)), 9)
        MeetingPresentation.objects.create(team=team, month=month, presented_at=presented, presented_by=ana)
        for number, member in enumerate(members):
            held = _at(first_working_day(add_months(month, 1)) + datetime.timedelta(days=1 + number), 14)
            OneOnOne.objects.create(team=team, member=member, month=month, scheduled_at=held, held_at=held)
    Target.objects.bulk_create(targets)
    Result.objects.bulk_create(results)
    bump_data_version()  # bulk writes send no signals
    log(f"tracker team '{TEAM_NAME}' for {ana.email}, her monthly rhythm shared with her company")
