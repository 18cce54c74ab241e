"""Issue 16: the learner dashboard's tracker access query, built by the ORM on every request
(before) or compiled once per process (after), back to back in the same process and conditions.

    .venv/bin/python manage.py shell -c "import bench.bench_dashboard_access as b; b.main()"

Prints, per round (before and after alternate), the app CPU ms and the PostgreSQL backend CPU ms
per request of `accounts:dashboard` for the demo leader (bench/bench_cpu.py's method), then the
least and the median of each, and the page's query count.
"""

from __future__ import annotations

import statistics
from unittest import mock

from django.urls import reverse

from bench.bench_cpu import client_for, cpu_per_request
from bench.pages import LEADER
from bench.run import count_queries


def _orm_every_time(name, build, **values):
    return list(build(**values))  # what dashboard_access did before: build and compile each time


def main(rounds: int = 7, n: int = 100) -> None:
    client, url = client_for(LEADER), reverse("accounts:dashboard")
    results = {"before": [], "after": []}
    for _ in range(rounds):
        for label in ("before", "after"):
            if label == "before":
                with mock.patch("tracker.selectors.teams.rows_compiled", _orm_every_time):
                    results[label].append(cpu_per_request(client, url, n))
            else:
                results[label].append(cpu_per_request(client, url, n))
            app, db = results[label][-1]
            print(f"{label:6}  app {app:6.2f} ms  db {db:5.2f} ms")
    for label, rows in results.items():
        apps, dbs = [r[0] for r in rows], [r[1] for r in rows]
        print(
            f"{label:6}  app least {min(apps):.2f} median {statistics.median(apps):.2f} ms;"
            f"  db least {min(dbs):.2f} median {statistics.median(dbs):.2f} ms"
        )
    print("queries:", count_queries(lambda: client.get(url)))
