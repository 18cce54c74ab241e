"""Read a few keys from the shared cache in one round trip, at a fraction of the usual CPU.

The anonymous page cache reads two keys on every hit (the page and the page-cache version). Through
Django's cache API on django-redis that costs about 100 µs of CPU, twenty times the round trip
itself: django-redis's key and value handling, then redis-py's command layers (a connection taken
from the pool and checked, retries, observability hooks, given back). Here, when the cache is
django-redis, each process (each thread) keeps one connection of the cache's own pool (redis-py
opens it: address, TLS, password, database, protocol) and writes the MGET, packed once per set of
keys, straight to its socket, then reads the reply itself: an array of bulk strings or nulls, the
same in RESP2 and RESP3. Anything else in the reply (an error, a push) is not guessed at. Values
are decoded as django-redis's `decode` does, without its `int()` attempt on a value that cannot be
a number (which formats the whole failed value, 18 KB for a page, into the error message): about
15 µs in all. Keys are made by django-redis's `make_key`, so the entries are those `cache.set` wrote.

On any error while sending or reading, or a reply of another shape, the connection is closed (so a
late reply can never be read as the answer to the next command) and the read goes to
`cache.get_many`, which takes a fresh connection and applies the configured policy
(IGNORE_EXCEPTIONS: a miss). Any other backend (the tests' local memory) always goes through
`cache.get_many`.
"""

from __future__ import annotations

import os
import socket
import ssl
import struct
import threading
from contextlib import suppress

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django_redis.exceptions import CompressorError

_local = threading.local()
_commands: dict[tuple[str, ...], bytes] = {}  # keys -> the packed MGET (make_key is fixed per process)
_MAX_COMMANDS = 4096
_CHUNK = 65536
# What `int()` accepts as a first byte (after which django-redis's decode would try it): any other
# value is a serialized one, and `int()` would fail on it.
_MAYBE_INT = frozenset(b"0123456789+- \t\n\r\x0b\x0c")


class _UnexpectedReply(Exception):
    pass


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


def _connect(connection):
    """Open the connection (redis-py's handshake), then make its socket a blocking one whose send
    and receive time out in the kernel after the cache's SOCKET_TIMEOUT: a read is then one `recv`,
    not Python's non-blocking try, `poll` and second try (~2 µs a hit)."""
    connection.connect()
    sock = connection._sock
    timeout = connection.socket_timeout
    if timeout and isinstance(sock, socket.socket) and not isinstance(sock, ssl.SSLSocket):
        seconds, fraction = divmod(timeout, 1)
        value = struct.pack("ll", int(seconds), int(fraction * 1_000_000))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)
        sock.settimeout(None)
    return sock


def _command(keys: tuple[str, ...]) -> bytes:
    packed = _commands.get(keys)
    if packed is None:
        if len(_commands) >= _MAX_COMMANDS:
            _commands.clear()
        parts = [b"MGET", *(str(cache.client.make_key(key)).encode() for key in keys)]
        packed = b"".join([b"*%d\r\n" % len(parts), *(b"$%d\r\n%s\r\n" % (len(part), part) for part in parts)])
        _commands[keys] = packed
    return packed


def _read_values(sock, count: int) -> list[bytes | None]:
    """The MGET reply: `*<count>`, then `count` times `$<n>` and n bytes, or a null (`$-1`, `_`)."""
    buffer = sock.recv(_CHUNK)
    position = 0

    def line() -> bytes:
        nonlocal buffer, position
        while (end := buffer.find(b"\r\n", position)) < 0:
            buffer = buffer[position:] + _receive(sock, _CHUNK)
            position = 0
        found, position = buffer[position:end], end + 2
        return found

    if line() != b"*%d" % count:
        raise _UnexpectedReply
    values: list[bytes | None] = []
    for _ in range(count):
        header = line()
        if header in (b"$-1", b"_"):
            values.append(None)
            continue
        if header[:1] != b"$":
            raise _UnexpectedReply
        size = int(header[1:])
        missing = position + size + 2 - len(buffer)
        if missing > 0:
            buffer = buffer[position:] + _receive(sock, missing, exact=True)
            position = 0
        if buffer[position + size : position + size + 2] != b"\r\n":
            raise _UnexpectedReply
        values.append(buffer[position : position + size])
        position += size + 2
    if position != len(buffer):  # more than the reply: nothing else was asked, so never read on
        raise _UnexpectedReply
    return values


def _receive(sock, size: int, *, exact: bool = False) -> bytes:
    if not exact:
        chunk = sock.recv(size)
        if not chunk:
            raise ConnectionError("Redis closed the connection")
        return chunk
    chunks, left = [], size
    while left > 0:
        chunk = sock.recv(left)
        if not chunk:
            raise ConnectionError("Redis closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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
        sock = connection._sock or _connect(connection)
        sock.sendall(_command(tuple(keys)))
        values = _read_values(sock, len(keys))
    except Exception:  # closed, so no late reply is ever read: the usual path, with its retry and policy
        connection.disconnect()
        return cache.get_many(keys)
    client = cache.client
    return {key: _decode(client, value) for key, value in zip(keys, values, strict=True) if value is not None}
