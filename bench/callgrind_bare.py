"""Instructions per request of the bare view under Huddle's middleware and under Django's default
middleware (bench/settings_default_middleware.py), through Django's test client as `bench_cpu`'s
in-process rows time it (`bare_views`), counted by callgrind: deterministic where CPU time on a
shared machine is not.

    # the environment bench/run.py sets (production settings, DATABASE_URL of a migrated and seeded
    # database: `manage.py migrate` and `manage.py seed_demo`, REDIS_URL, BENCHMARK=1), then:
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --dump-after=functools_reduce --callgrind-out-file=/tmp/bare.%p .venv/bin/python bench/callgrind_bare.py
    grep -m1 ^summary /tmp/bare.<pid>.1 /tmp/bare.<pid>.2   # ours, then Django's default; / BENCH_REPEAT

Each row's requests run inside one `functools.reduce` call (only those are counted), after five
warm-up requests and with the objects made so far frozen out of the garbage collector (as
config/wsgi.py freezes them in production), so a full collection does not land in one row.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    from django.test import override_settings

    from bench.bench_cpu import client_for
    from bench.settings_default_middleware import DEFAULT_MIDDLEWARE

    repeat = int(os.environ.get("BENCH_REPEAT", "200"))
    for name, middleware in (("ours", None), ("Django's default middleware", DEFAULT_MIDDLEWARE)):
        with override_settings(**({"MIDDLEWARE": middleware} if middleware else {})):
            client = client_for(None)
            for _ in range(5):
                response = client.get("/bench/baseline")
            assert response.status_code == 200, response.status_code
            gc.collect()
            gc.freeze()
            functools.reduce(lambda _, __: client.get("/bench/baseline"), range(repeat), None)
        print(f"bare view, {name}: {repeat} requests counted", flush=True)


if __name__ == "__main__":
    main()
