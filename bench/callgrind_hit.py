"""Instructions per request of the bare view and the anonymous pages, through the WSGI application
gunicorn serves (`config.wsgi.application`), in process, counted by callgrind.

    # the environment bench/run.py sets (production settings, DATABASE_URL of a migrated and seeded
    # database: `manage.py migrate` and `manage.py seed_demo`, REDIS_URL, BENCHMARK=1), then:
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --dump-after=functools_reduce --callgrind-out-file=/tmp/hit.%p .venv/bin/python bench/callgrind_hit.py
    callgrind_annotate /tmp/hit.<pid>.1 | head   # one dump per row, in the order printed

Each row's requests run inside one `functools.reduce` call, so callgrind counts exactly those (and
dumps once per row): the setup, the warm-up requests (the first renders the page and stores it) and
Django's start-up are not counted. The environ is what gunicorn builds for the bench's requests
(`bench/run.py`: Host 127.0.0.1, X-Forwarded-Proto https, no cookie). `BENCH_REPEAT` (default 200)
requests a row; divide a dump's total by it.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def environ(path: str) -> dict:
    """A WSGI environ as gunicorn builds it for `GET path` from the bench's client."""
    from home.core.caching.wsgi_environ import environ as wsgi_environ

    return wsgi_environ(path=path, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="identity")


def call(application, env: dict) -> tuple[str, list, bytes]:
    """One request as gunicorn makes it: start_response, the body iterated, then `close()`."""
    started = []
    result = application(env, lambda status, headers, exc_info=None: started.append((status, headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started[0][0], started[0][1], body


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from bench.run import _anonymous_paths
    from config.wsgi import application

    repeat = int(os.environ.get("BENCH_REPEAT", "200"))
    rows = [("bare view", "/bench/baseline")] + [(f"anonymous {path}", path) for path in _anonymous_paths()]
    for name, path in rows:
        for _ in range(5):  # the first renders and stores the page; the others are hits
            status, headers, _body = call(application, environ(path))
        assert status.startswith("200"), (path, status)
        hit = dict(headers).get("X-Page-Cache", "-")
        functools.reduce(lambda _, __: call(application, environ(path)), range(repeat), None)
        print(f"{name}: {repeat} requests counted (X-Page-Cache: {hit})", flush=True)


if __name__ == "__main__":
    main()
