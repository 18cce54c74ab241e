"""Demo coaching history on top of the demo team (tracker.demo.team): a year of monthly 1:1s with
private notes and action items carried from one 1:1 to the next, one improvement plan that ended
"improved" and one still open (Grace, whose numbers slipped), celebrations most months, and a
consistency history with skipped steps (two 1:1s missed one month, no celebration another).
Idempotent: once the team has 1:1s, nothing changes.
"""

import datetime
import random

from django.utils import timezone

from accounts.demo import demo_user

from ..data_version import bump_data_version
from ..models import ActionItem, Celebration, ImprovementPlan, OneOnOne, PlanCheckIn, Result, Team
from ..rules import add_months, members_in_month, month_start, subpar_flags
from ..selectors import detect, settings_for, values_for
from .team import TEAM_NAME

NOTES = [
    "Walked through the pipeline deal by deal. Two buyers are waiting on appraisals; nothing to push yet.",
    "Energy is good. Wants to get sharper at the design-centre handover, so we role-played it.",
    "Slow traffic at the model this month. We agreed on a follow-up rhythm for every walk-in.",
    "Strong closings, paperwork lagging behind. Talked about blocking Friday mornings for files.",
    "Asked for more time on the new phase floor plans. Booked a site walk with the builder's rep.",
    "Honest talk about the two lost contracts: both were financing. Will pre-qualify earlier.",
    "Customer ratings up after the welcome-call idea. Will share it in the next huddle.",
    "Feels stretched between the model and the office. Swapped two Saturday shifts to help.",
]
MEMBER_ITEMS = [
    "Call every open lead from the last two weeks",
    "Send the lender list to the three new buyers",
    "Finish the closing files before the 10th",
    "Book two second visits at the model",
    "Ask last month's buyers for a referral",
    "Practise the upgrade walk-through with a colleague",
]
LEADER_ITEMS = [
    "Join one of the Saturday appointments to observe",
    "Get marketing to refresh the phase two brochure",
    "Sit in on a financing call and debrief after",
    "Set up a shadow day with Dana",
]
SKIPPED_1ON1_MONTHS_AGO = 6  # two 1:1s never happened that month
NO_CELEBRATION_MONTHS_AGO = 4


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed(*, log) -> None:
    leader = demo_user("leader@huddle.test")
    team = Team.objects.filter(leader=leader, name=TEAM_NAME).first()
    if team is None or OneOnOne.objects.filter(team=team).exists():
        return
    rng = random.Random(8)
    today = timezone.localdate()
    this_month = month_start(today)
    members = list(team.members.all())
    metrics = list(team.metrics.filter(archived=False))
    finished = [add_months(this_month, -i) for i in range(12, 0, -1)]
    targets, results = values_for(teams=[team], until=this_month)
    threshold = settings_for([team])[team.pk].threshold_percent
    flags = {
        m: subpar_flags(
            members=members, metrics=metrics, month=m, targets=targets, results=results, threshold=threshold
        )
        for m in finished
    }

    one_on_ones = 0
    open_items: dict[int, list[ActionItem]] = {m.pk: [] for m in members}
    for months_ago, month in zip(range(12, 0, -1), finished, strict=True):
        review_start = add_months(month, 1)
        for index, member in enumerate(members_in_month(members, month)):
            if months_ago == SKIPPED_1ON1_MONTHS_AGO and index in (3, 6):
                continue  # the leader let these two slide: the consistency map shows it
            day = review_start + datetime.timedelta(days=2 + index)
            if day > today:
                OneOnOne.objects.create(team=team, member=member, month=month, scheduled_at=_at(day, 14))
                continue
            held_at = _at(day, 9 + index % 6)
            flagged = member.pk in flags[month]
            one = OneOnOne.objects.create(
                team=team,
                member=member,
                month=month,
                scheduled_at=held_at,
                held_at=held_at,
                notes=NOTES[(index + months_ago) % len(NOTES)]
                + (" We looked at why the numbers dropped and what gets in the way." if flagged else ""),
                discussed_gap=flagged,
                agenda={"month": f"{month:%Y-%m}", "note": "Snapshot kept with the 1:1."},
            )
            one_on_ones += 1
            # earlier items: most are closed here, some carry over to the next 1:1
            for item in open_items[member.pk]:
                if rng.random() < 0.75:
                    item.done_at = held_at
                    item.save(update_fields=["done_at"])
            open_items[member.pk] = [i for i in open_items[member.pk] if i.done_at is None]
            new = [
                ActionItem(
                    team=team,
                    member=member,
                    one_on_one=one,
                    owner=ActionItem.Owner.MEMBER,
                    text=MEMBER_ITEMS[(index + months_ago) % len(MEMBER_ITEMS)],
                    due_on=day + datetime.timedelta(days=21),
                    created_at=held_at,
                )
            ]
            if (index + months_ago) % 3 == 0:
                new.append(
                    ActionItem(
                        team=team,
                        member=member,
                        one_on_one=one,
                        owner=ActionItem.Owner.LEADER,
                        text=LEADER_ITEMS[(index + months_ago) % len(LEADER_ITEMS)],
                        due_on=day + datetime.timedelta(days=14),
                        created_at=held_at,
                    )
                )
            open_items[member.pk].extend(ActionItem.objects.bulk_create(new))

    plans = _plans(team, members, finished, flags, today)
    celebrated = _celebrations(team, members, metrics, finished, targets, results, today)
    log(f"tracker coaching: {one_on_ones} 1:1s, {plans} improvement plans, {celebrated} celebrations")


def _plans(team, members, finished, flags, today) -> int:
    """An earlier plan that ended 'improved' and Grace's plan, still open."""
    count = 0
    grace = next((m for m in members if m.name.startswith("Grace")), None)
    earlier = next(
        ((month, flag) for month in finished[:-4] for flag in flags[month].values() if flag.member != grace), None
    )
    for month, flag, still_open in ([(*earlier, False)] if earlier else []) + _grace_flag(grace, finished, flags):
        talk = OneOnOne.objects.filter(member=flag.member, month=month, held_at__isnull=False).first()
        if talk is None:
            continue
        talk.discussed_gap = True
        talk.save(update_fields=["discussed_gap"])
        opened = talk.held_at + datetime.timedelta(days=1)
        opened_day = timezone.localtime(opened).date()
        deadline = (
            max(opened_day + datetime.timedelta(days=45), today + datetime.timedelta(days=21))
            if still_open
            else opened_day + datetime.timedelta(days=45)
        )
        plan = ImprovementPlan(
            team=team,
            member=flag.member,
            flagged_month=month,
            below_standard=flag.snapshot(),
            expectations="Overall attainment back to 90% or more for two months running, and every closing file "
            "complete before the 10th.",
            support="A weekly pipeline review on Monday mornings, and I join one Saturday appointment a month.",
            deadline=deadline,
            flag_detected_on=flag.detected_on,
            opened_at=opened,
        )
        if not still_open:
            plan.outcome = ImprovementPlan.Outcome.IMPROVED
            plan.outcome_on = deadline - datetime.timedelta(days=4)
            plan.outcome_note = "Two strong months in a row; the Monday reviews continue by choice."
        plan.full_clean()
        plan.save()
        PlanCheckIn.objects.create(
            plan=plan, on=opened_day + datetime.timedelta(days=14), notes="Pipeline fuller; first follow-ups booked."
        )
        if not still_open:
            PlanCheckIn.objects.create(
                plan=plan, on=opened_day + datetime.timedelta(days=30), notes="Closed two homes this week. On track."
            )
        ActionItem.objects.create(
            team=team,
            member=flag.member,
            owner=ActionItem.Owner.LEADER,
            text=f"How I will help: {plan.support}",
            due_on=deadline,
            done_at=None if still_open else _at(plan.outcome_on, 17),
            created_at=opened,
        )
        count += 1
    return count


def _grace_flag(grace, finished, flags):
    if grace is None:
        return []
    for month in reversed(finished[-3:]):
        flag = flags[month].get(grace.pk)
        if flag and OneOnOne.objects.filter(member=grace, month=month, held_at__isnull=False).exists():
            return [(month, flag, True)]
    return []


def _celebrations(team, members, metrics, finished, targets, results, today) -> int:
    """One or two celebrations most months (none four months ago); last month's personal best is
    left on the 'to celebrate' list for the leader to record."""
    count = 0
    last = finished[-1]
    for months_ago, month in zip(range(12, 0, -1), finished, strict=True):
        if months_ago == NO_CELEBRATION_MONTHS_AGO:
            continue
        found = detect(members=members, metrics=metrics, month=month, targets=targets, results=results)
        if month == last:
            found = [c for c in found if c.kind == Celebration.Kind.TOP_PERFORMER][:1]
            _ensure_personal_best(members, metrics, month, targets, results)
        else:
            preferred = sorted(found, key=lambda c: (c.kind != Celebration.Kind.PERSONAL_BEST, c.member.name))
            found = preferred[:2]
        created = min(_at(add_months(month, 1) + datetime.timedelta(days=3), 12), timezone.now())
        for candidate in found:
            Celebration.objects.create(
                team=team,
                member=candidate.member,
                month=month,
                kind=candidate.kind,
                metric=candidate.metric,
                title=candidate.title,
                note="" if month == last else "You made this month count. Thank you for the work behind it.",
                created_at=created,
                sent_at=None if month == last else created,
            )
            count += 1
    return count


def _ensure_personal_best(members, metrics, month, targets, results) -> None:
    """Make sure the demo shows a personal best last month: if the numbers did not produce one,
    the rising newcomer's sales edge past their earlier best."""
    found = detect(members=members, metrics=metrics, month=month, targets=targets, results=results)
    if any(c.kind == Celebration.Kind.PERSONAL_BEST for c in found):
        return
    luis = next((m for m in members if m.name.startswith("Luis")), None)
    sales = next((m for m in metrics if m.name == "Sales"), None)
    if luis is None or sales is None:
        return
    earlier = [v for (mem, met, mo), v in results.items() if mem == luis.pk and met == sales.pk and mo < month]
    if len(earlier) >= 3:
        Result.objects.filter(member=luis, metric=sales, month=month).update(value=max(earlier) + 25000)
        bump_data_version()  # update() sends no signals
