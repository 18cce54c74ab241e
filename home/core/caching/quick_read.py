"""Read a few keys from the shared cache in one round trip, at a fraction of the usual CPU.

The anonymous page cache reads two keys on every hit (the page and the page-cache version). Through
Django's cache API on django-redis that costs about 100 µs of CPU, twenty times the round trip
itself: django-redis's key and value handling, then redis-py's command layers (a connection taken
from the pool and checked, retries, observability hooks, given back). Here, when the cache is
django-redis, each process (each thread) keeps one connection of the cache's own pool and sends
MGET on it with redis-py's connection API (as redis-py's pipelines do: `pack_command` once per set
of keys, `send_packed_command`, `read_response`). Values are decoded as django-redis's `decode`
does, without its `int()` attempt on a value that cannot be a number (which formats the whole
failed value, 18 KB for a page, into the error message). Keys are made by django-redis's `make_key`, so the entries are those `cache.set` wrote.
The reply is parsed by redis-py's parser: hiredis's C one, when installed (requirements.txt), which
cuts the read's CPU in this process to ~16 µs from ~21-28 µs (the MGET of a page; the socket alone ~13 µs).

On any error while sending or reading, the connection is closed (redis-py does it too, so a late
reply can never be read as the answer to the next command) and the read goes to
`cache.get_many`, which takes a fresh connection and applies the configured policy
(IGNORE_EXCEPTIONS: a miss). Any other backend (the tests' local memory) always goes through
`cache.get_many`.

Every read goes to Redis: no copy is kept in process, so a version another process moved is seen by
this process's very next request (tests/home/core/test_quick_read.py, tests/test_multi_process.py).
redis-py's client-side caching (RESP3, CLIENT TRACKING, `cache_config=`) was weighed to skip the
round trip and left out: redis-py 8.1 refuses it below Redis 7.4 (Debian 12 ships 7.0); and it only
drains the invalidation pushes already sitting in the socket (`can_read()`, no wait) before serving
a cached reply, while Redis sends the writer its reply and the readers their pushes in no promised
order (the same event-loop pass, the writer possibly first; another machine: the network). A reader
can then serve the old version after the writer answered; making sure costs a round trip, this one.
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django_redis.exceptions import CompressorError

_local = threading.local()
_commands: dict[tuple[str, ...], list] = {}  # keys -> the packed MGET (make_key is fixed per process)
_MAX_COMMANDS = 4096
# What `int()` accepts as a first byte (after which django-redis's decode would try it): any other
# value is a serialized one, and `int()` would fail on it.
_MAYBE_INT = frozenset(b"0123456789+- \t\n\r\x0b\x0c")


def _connection():
    """This thread's connection to the cache's Redis, or False when the cache is not django-redis."""
    found = getattr(_local, "connection", None)
    if found is not None and found[0] == os.getpid():
        return found[1]
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client") or not hasattr(client, "decode"):
        _local.connection = (os.getpid(), False)
        return False
    pool = client.get_client(write=False).connection_pool
    connection = pool.make_connection()  # owned by this thread for good, never handed back
    _local.connection = (os.getpid(), connection)
    return connection


@receiver(setting_changed)
def _forget(setting, **kwargs) -> None:
    if setting == "CACHES":  # tests point the cache elsewhere
        forget()


def forget() -> None:
    found = getattr(_local, "connection", None)
    if found and found[1] and found[0] == os.getpid():
        found[1].disconnect()
    _local.connection = None
    _commands.clear()


def _command(connection, keys: tuple[str, ...]) -> list:
    packed = _commands.get(keys)
    if packed is None:
        if len(_commands) >= _MAX_COMMANDS:
            _commands.clear()
        packed = connection.pack_command("MGET", *(cache.client.make_key(key) for key in keys))
        _commands[keys] = packed
    return packed


def _decode(client, value: bytes):
    """django-redis's `decode`, with its `int()` attempt only where `int()` could succeed."""
    if value[:1] and value[0] in _MAYBE_INT:
        return client.decode(value)
    with suppress(CompressorError):  # django-redis: "little values, chosen to be not compressed"
        value = client._compressor.decompress(value)
    return client._serializer.loads(value)


def get_many(keys: list[str]) -> dict:
    """Like `cache.get_many(keys)`: {key: value} for the keys that are present."""
    connection = _connection()
    if not connection:
        return cache.get_many(keys)
    try:
        connection.send_packed_command(_command(connection, tuple(keys)))
        values = connection.read_response()
        if not isinstance(values, list) or len(values) != len(keys):
            raise TypeError("not an MGET reply")
    except Exception:  # closed, so no late reply is ever read: the usual path, with its retry and policy
        connection.disconnect()
        return cache.get_many(keys)
    client = cache.client
    return {key: _decode(client, value) for key, value in zip(keys, values, strict=True) if value is not None}
