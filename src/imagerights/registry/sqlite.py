"""The default registry backend: one SQLite file (WAL journal, foreign keys on).

Created lazily with its parent folder; migrated on open. Writers take ``BEGIN IMMEDIATE`` so
two imports cannot interleave; readers (``check``) are not blocked by a running import (WAL).
A read-only file (e.g. a shared registry on a network drive) is opened with ``mode=ro``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from imagerights.registry.schema import SQLITE
from imagerights.registry.sql import SQLStore
from imagerights.registry.store import RegistryError

BUSY_TIMEOUT_S = 30.0


class SQLiteStore(SQLStore):
    dialect = SQLITE
    integrity_errors = (sqlite3.IntegrityError,)
    begin_statement = "BEGIN IMMEDIATE"

    def __init__(self, path: str | os.PathLike, *, readonly: bool = False):
        self.path = Path(path)
        if not readonly and self.path.exists() and not os.access(self.path, os.W_OK):
            readonly = True
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                       check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                       check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise RegistryError(f"cannot open registry {self.path}: {exc}") from None
        super().__init__(str(self.path), conn, readonly=readonly)
        try:
            self._set_up(readonly)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise RegistryError(f"{self.path} is not a usable imagerights registry: {exc}") from None
        except BaseException:
            conn.close()
            raise

    def _set_up(self, readonly: bool) -> None:
        """Connection settings, WAL mode and the schema. Several processes opening a fresh registry
        at once can get "database is locked" here without SQLite waiting its busy timeout (switching
        a new file to WAL; seen once in ~10 CI runs of test_registry_concurrency): every step is
        idempotent (each migration is its own transaction and skips what another process applied),
        so the whole set-up is tried again until the timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.005
        while True:
            try:
                self.conn.execute("PRAGMA foreign_keys = ON")
                if not readonly:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = NORMAL")
                self.migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
