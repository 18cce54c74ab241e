"""The monthly digest for 500 leaders: the hourly rhythm job on the first working day of the month,
building every leader's digest (five steps, score and streak, top three, flags, celebrations,
commitments) and handing each email to the task queue. Target: under a minute.

run(ctx) -> rows. Builds 500 leaders, each with a team of 8 members x 4 metrics x 8 months, inside a
transaction that is rolled back, so nothing stays behind. Tasks are only queued (the dummy backend),
as with the production database queue. Run alone:
    .venv/bin/python manage.py shell -c "import bench.bench_digest as b; print(b.run({}))"
"""

import datetime
import time
import uuid

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

LEADERS, MEMBERS, METRICS, MONTHS = 500, 8, 4, 8
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
TARGET_SECONDS = 60


def run(ctx) -> list[dict]:
    from accounts.models import User
    from tracker.bulk_sample import build_team
    from tracker.models import ReminderKind, TrackerAccess
    from tracker.rhythm.calendar import first_working_day
    from tracker.rhythm.dispatch import rhythm_reminders_send
    from tracker.rules import month_start

    leaders = int(ctx.get("leaders", LEADERS)) if hasattr(ctx, "get") else LEADERS
    this_month = month_start(datetime.date.today())
    # 13:00 UTC on the first working day: 8:00 or later for every leader in New York.
    day = first_working_day(this_month, "US")
    now = datetime.datetime(day.year, day.month, day.day, 13, tzinfo=datetime.UTC)
    tag = uuid.uuid4().hex[:6]
    with transaction.atomic():
        built = time.perf_counter()
        for n in range(leaders):
            leader = User.objects.create_user(email=f"bench-{tag}-{n}@bench.invalid", full_name=f"Leader {n}")
            TrackerAccess.objects.create(user=leader)
            build_team(leader=leader, members=MEMBERS, months=MONTHS, metrics=METRICS, end=this_month, seed=n)
        built = time.perf_counter() - built
        with override_settings(TASKS=QUEUE_ONLY), CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            sent = rhythm_reminders_send(now=now)
            seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    digests = sent.get(ReminderKind.DIGEST, 0)
    return [
        {
            "name": f"monthly digest for {leaders} leaders ({MEMBERS} members x {METRICS} metrics each)",
            "seconds": round(seconds, 2),
            "digests": digests,
            "other_reminders": sum(sent.values()) - digests,
            "queries": len(queries),
            "target_seconds": TARGET_SECONDS,
            "ok": digests == leaders and seconds < TARGET_SECONDS,
            "setup_seconds": round(built, 1),
        }
    ]


if __name__ == "__main__":  # pragma: no cover
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    for row in run({}):
        print(row)
