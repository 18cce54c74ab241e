"""Consistency, 1:1 and celebration timings for a big team (200 members x 36 months x 6 metrics):
the consistency page, the 1:1 overview for a month, a member's 1:1 agenda and the celebrations page, p50/p95 over
`repeat` requests through the test client, with each page's query count.

run(ctx) -> rows. Builds the team (plus a year of 1:1s and a celebration a month) inside a
transaction that is rolled back, so nothing stays behind. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_consistency as b; print(b.run({}))"
"""

import uuid

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.bench_tracker import _page
from bench.run import repeat_of

MEMBERS, MONTHS, METRICS = 200, 36, 6


def run(ctx) -> list[dict]:
    from accounts.models import User
    from tracker.bulk_sample import build_team
    from tracker.models import Celebration, OneOnOne, TrackerAccess
    from tracker.rules import add_months
    from tracker.selectors import current_month

    repeat = repeat_of(ctx)
    month = add_months(current_month(), -1)
    with transaction.atomic():
        leader = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:8]}@bench.invalid", full_name="Bench Leader")
        TrackerAccess.objects.create(user=leader)
        team = build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=METRICS)
        members = list(team.members.all())
        now = timezone.now()
        one_on_ones, celebrations = [], []
        for k in range(1, 13):
            m = add_months(current_month(), -k)
            one_on_ones += [OneOnOne(team=team, member=p, month=m, held_at=now, notes="Bench") for p in members]
            celebrations.append(Celebration(team=team, member=members[k], month=m, title="Bench", created_at=now))
        OneOnOne.objects.bulk_create(one_on_ones, batch_size=1000)
        Celebration.objects.bulk_create(celebrations)
        client = Client()
        client.force_login(leader)
        pages = [
            ("tracker consistency page", reverse("tracker:consistency", args=[team.pk]), 800),
            ("tracker 1:1 overview (month)", reverse("tracker:reviews", args=[team.pk, month]), 500),
            ("tracker 1:1 agenda", reverse("tracker:one_on_one", args=[team.pk, month, members[0].pk]), 300),
            ("tracker celebrations page", reverse("tracker:celebrations", args=[team.pk, month]), 800),
        ]
        rows = []
        size = f"{MEMBERS}x{MONTHS}x{METRICS}"
        for name, url, target_ms in pages:
            rows.append(_page(f"{name} ({size})", client, url, repeat, target_ms))
        transaction.set_rollback(True)
    return rows


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    for row in run({}):
        print(row)
