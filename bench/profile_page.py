"""cProfile one bench page in process: where its CPU goes.

    .venv/bin/python manage.py shell -c "import bench.profile_page as p; p.main('tracker rankings')"

The name is one of bench/pages.py's (a substring is enough); `n` requests after two warm-ups;
CPU time only (process_time), so waiting on the database or a busy machine does not count;
prints the top `limit` functions by own time and by cumulative time.
"""

from __future__ import annotations

import cProfile
import pstats
import time

from bench.bench_cpu import client_for
from bench.pages import leader_pages


def main(name: str, n: int = 20, limit: int = 25) -> None:
    page = next(page for page in leader_pages() if name in page[0])
    client = client_for(page[1])
    for _ in range(2):
        assert client.get(page[2]).status_code == 200
    profile = cProfile.Profile(time.process_time)  # CPU, not waiting
    profile.enable()
    for _ in range(n):
        client.get(page[2])
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
