"""Django's PostgreSQL backend with one change: opening a connection is tried again for a short,
bounded time (DATABASE_CONNECT_RETRY_SECONDS, default 3 s, with backoff) when the server cannot
take it yet: refused (restarting), "starting up", "shutting down", "in recovery". A request that
arrives during a one-second restart then waits a moment and is answered, instead of getting an
error page.

Only the opening of a connection is retried, never a query: a query that fails inside a
transaction fails as before (retrying it could apply half a transaction twice). Wrong passwords
and missing databases fail at once.
"""

import logging
import time

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger("home.core.db")

FIRST_PAUSE = 0.05
LONGEST_PAUSE = 0.5
_PASSING = ("08", "57P")  # connection exceptions; operator intervention (shutdown, starting up)


def passing_trouble(exc: Exception) -> bool:
    """The server is there but cannot take connections yet (or not reachable at all): worth a retry."""
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return state is None or state.startswith(_PASSING)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + getattr(settings, "DATABASE_CONNECT_RETRY_SECONDS", 3.0)
        pause, tries = FIRST_PAUSE, 0
        while True:
            try:
                connection = super().get_new_connection(conn_params)
            except self.Database.OperationalError as exc:
                tries += 1
                if not passing_trouble(exc) or time.monotonic() + pause > deadline:
                    raise
                logger.warning("database connection refused (try %d), again in %.2f s: %s", tries, pause, exc)
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            if tries:
                logger.info("database connection opened after %d refused tries", tries)
            return connection
