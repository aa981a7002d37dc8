"""PostgreSQL's half of the live feed: a thread that ``LISTEN``s for the ``NOTIFY`` every write
transaction sends as it commits, and reconnects when the connection drops.

The channel is named after the database and the schema (``search_path``), so two schedules on one
server, or parallel test schemas, never hear each other. After a reconnect the feed asks for a
resynchronisation: whatever was committed while nobody listened is read from the audit log.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

import psycopg

from scheduler_app.storage import Store

log = logging.getLogger(__name__)

RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)
"""Seconds between attempts to listen again after the connection dropped."""
WAIT_S = 0.5
"""How long one wait for notifications lasts before the thread checks whether to stop."""


class ListenSignal:
    """Set by the listening thread; read and cleared by ``fired()``."""

    def __init__(self, store: Store) -> None:
        args, kwargs = store.engine.dialect.create_connect_args(store.url)
        self._connect_args: tuple[Any, Any] = (args, kwargs)
        self._changed = threading.Event()
        self._resync = threading.Event()
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._connection: psycopg.Connection[Any] | None = None
        self._connected_once = False
        self.backend_pid: int | None = None
        """The listening connection's server process (None while disconnected)."""
        self._thread = threading.Thread(target=self._run, name="scheduler-listen", daemon=True)
        self._thread.start()

    def fired(self) -> tuple[bool, bool]:
        changed, resync = self._changed.is_set(), self._resync.is_set()
        if changed:
            self._changed.clear()
        if resync:
            self._resync.clear()
        return changed, resync

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * WAIT_S + 1)

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self._listen()
                attempt = 0
            except psycopg.Error as error:
                if self._stop.is_set():
                    break
                if not self._lost.is_set():
                    log.warning("Lost the live connection to the database: %s", error)
                self._lost.set()
                delay = RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)]
                attempt += 1
                self._stop.wait(delay)
            finally:
                self._disconnect()

    def _listen(self) -> None:
        args, kwargs = self._connect_args
        connection = psycopg.connect(*args, **kwargs, autocommit=True)
        self._connection = connection
        self.backend_pid = connection.info.backend_pid
        channel = channel_name(connection)
        connection.execute(f'LISTEN "{channel}"')
        if self._lost.is_set() or self._connected_once:
            self._resync.set()  # read what was committed while nobody listened
        self._lost.clear()
        self._connected_once = True
        self._changed.set()  # the first look reads the log once
        while not self._stop.is_set():
            for _ in connection.notifies(timeout=WAIT_S):
                self._changed.set()
            if connection.closed:
                raise psycopg.OperationalError("the connection was closed")

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        self.backend_pid = None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                connection.close()


def channel_name(connection: Any) -> str:
    """``scheduler_<database>_<schema>`` (cut to PostgreSQL's 63-byte identifiers), the same for
    the sender (an SQLAlchemy connection) and the listener (a psycopg one)."""
    row = connection.execute(_CHANNEL_QUERY).fetchone()
    return str(row[0])


_CHANNEL_QUERY = "SELECT left('scheduler_' || current_database() || '_' || current_schema(), 63)"
