"""Read a few keys from the shared cache in one round trip, at a fraction of the usual CPU.

The anonymous page cache reads two keys on every hit (the page and the page-cache version). Through
Django's cache API on django-redis that costs about 100 µs of CPU, twenty times the round trip
itself: django-redis's key and value handling, then redis-py's command layers (a connection taken
from the pool and checked, retries, observability hooks, given back). Here, when the cache is
django-redis, each process (each thread) keeps one connection of the cache's own pool and sends
MGET on it with redis-py's connection API (as redis-py's pipelines do), then decodes the values
with django-redis's own `decode`: about 20 µs. Keys are made by django-redis's `make_key`, so the
entries are those `cache.set` wrote.

redis-py closes a connection on any error while sending or reading (so a late reply can never be
read as the answer to the next command); this module then hands the read to `cache.get_many`,
which takes a fresh connection and applies the configured policy (IGNORE_EXCEPTIONS: a miss).
Any other backend (the tests' local memory) always goes through `cache.get_many`.
"""

from __future__ import annotations

import os
import threading

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

_local = threading.local()


def _connection():
    """This thread's connection to the cache's Redis, or None when the cache is not django-redis."""
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


def get_many(keys: list[str]) -> dict:
    """Like `cache.get_many(keys)`: {key: value} for the keys that are present."""
    connection = _connection()
    if not connection:
        return cache.get_many(keys)
    client = cache.client
    try:
        connection.send_command("MGET", *(client.make_key(key) for key in keys))
        values = connection.read_response()
    except Exception:  # redis-py has closed the connection: the usual path, with its retry and policy
        connection.disconnect()
        return cache.get_many(keys)
    return {key: client.decode(value) for key, value in zip(keys, values, strict=True) if value is not None}
