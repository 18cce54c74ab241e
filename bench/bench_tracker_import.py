"""A big results import: 10,000 CSV rows x 6 metrics = 60,000 values (the row limit), timed
in-process: parsing into a preview, applying it (set-based upsert plus one history row per value),
a hand correction afterwards, then the undo confirm page's plan and the undo itself (which keeps the
corrected cell). Target: apply and undo under 5 s each. Each row also gives the CPU time of this
process and of its PostgreSQL backend (when local): on a shared machine their sum estimates the
time on an idle one better than the wall time does.

run(ctx) -> rows. Builds the team inside a transaction that is rolled back, so nothing stays
behind. Run alone (DATABASE_URL set to a throwaway, migrated database):
    .venv/bin/python manage.py shell -c "import bench.bench_tracker_import as b; [print(r) for r in b.run({})]"
"""

import datetime
import io
import os
import time
import uuid
from decimal import Decimal

from django.db import transaction

MEMBERS, MONTHS, METRICS = 200, 50, 6  # 10,000 rows of 6 values
TARGET_MS = 5000


def _csv(members, metrics, months) -> bytes:
    out = io.StringIO()
    out.write("member,month," + ",".join(m.name for m in metrics) + "\n")
    for month in months:
        for i, member in enumerate(members):
            values = ",".join(str(1000 + (i * 7 + j * 13 + month.month) % 900) for j in range(len(metrics)))
            out.write(f"{member.email},{month:%Y-%m},{values}\n")
    return out.getvalue().encode()


def _backend_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, when it runs on this machine
    (read from /proc); None elsewhere. On a shared machine wall time depends on the other jobs,
    CPU time much less: the sum of both processes' CPU is the idle-machine estimate."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _timed(name: str, action) -> tuple[dict, object]:
    from django.db import connection

    backend_before, cpu_before = _backend_cpu_seconds(), time.process_time()
    start = time.perf_counter()
    result = action()
    if connection.vendor == "postgresql":  # check the deferred foreign keys now, as a commit would
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ms = round((time.perf_counter() - start) * 1000)
    cpu_ms = round((time.process_time() - cpu_before) * 1000)
    backend_after = _backend_cpu_seconds()
    row = {"scenario": name, "ms": ms, "target_ms": TARGET_MS if name.startswith(("apply", "undo 6")) else ""}
    row["django_cpu_ms"] = cpu_ms
    if backend_before is not None and backend_after is not None:
        row["pg_cpu_ms"] = round((backend_after - backend_before) * 1000)
        row["cpu_total_ms"] = cpu_ms + row["pg_cpu_ms"]
    return row, result


def run(ctx) -> list[dict]:
    from accounts.models import User
    from tracker import services
    from tracker.models import Member, Metric, Result, Team
    from tracker.rules import add_months, month_start

    rows = []
    with transaction.atomic():
        leader = User.objects.create_user(email=f"bench-import-{uuid.uuid4().hex[:8]}@example.com", password="x")
        team = Team.objects.create(leader=leader, name="Import bench")
        metrics = [Metric.objects.create(team=team, name=f"Metric {j}", order=j) for j in range(METRICS)]
        members = Member.objects.bulk_create(
            Member(team=team, name=f"Rep {i:03d}", email=f"rep{i}@bench.example", start_date=datetime.date(2015, 1, 1))
            for i in range(MEMBERS)
        )
        last = add_months(month_start(datetime.date.today()), -1)
        months = [add_months(last, -i) for i in range(MONTHS)]
        data = _csv(members, metrics, months)
        row, preview = _timed(
            "import preview: parse 10,000 rows",
            lambda: services.results_import_preview(team=team, uploaded_by=leader, filename="big.csv", data=data),
        )
        assert not preview.problems, preview.problems[:3]
        rows.append({**row, "values": len(preview.rows)})
        row, counts = _timed("apply 60,000 values", lambda: services.results_import_apply(result_import=preview))
        rows.append({**row, "values": counts["created"] + counts["changed"]})
        services.month_values_save(
            team=team,
            month=last,
            kind="results",
            values={(members[0].pk, metrics[0].pk): Decimal("1")},
            changed_by=leader,
        )
        row, plan = _timed("undo plan (confirm page)", lambda: services.undo_plan(result_import=preview))
        rows.append({**row, "values": plan.restored + plan.removed})
        row, plan = _timed("undo 60,000 values", lambda: services.results_import_undo(result_import=preview))
        rows.append({**row, "values": plan.restored + plan.removed, "kept": len(plan.kept)})
        assert Result.objects.filter(member__team=team).count() == 1  # only the hand correction
        transaction.set_rollback(True)
    return rows
