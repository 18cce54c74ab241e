"""A WSGI environ as gunicorn builds it, for calling `config.wsgi.application` (and so
`wsgi_hit.PageCacheApplication`) directly: the bench's callgrind rows (bench/callgrind_hit.py) and
the WSGI layer's tests (tests/home/core/test_wsgi_hit.py) build theirs here."""

from __future__ import annotations

import io
import sys


def environ(*, path: str = "/", method: str = "GET", host: str = "127.0.0.1", **extra: object) -> dict:
    """`method path` with `Host: host`, no body, no query string, no cookie; `extra` adds or
    replaces values (headers as `HTTP_...`, e.g. `HTTP_X_FORWARDED_PROTO="https"`)."""
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "HTTP_HOST": host,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **extra,
    }
