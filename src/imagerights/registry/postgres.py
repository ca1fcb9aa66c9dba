"""The organisation-wide registry backend: PostgreSQL via psycopg 3.

One database that every communicator checks against and the image-bank team maintains.
It is a thin :class:`~imagerights.registry.sql.SQLStore` like SQLite: the schema and every
query come from ``schema.py`` / ``sql.py``; this module adds what a server needs:

* **Connecting.** ``postgresql://user[:password]@host[:port]/dbname[?param=…]`` (or
  ``postgres://``); anything the URL leaves out comes from libpq's ``PG*`` variables
  (``PGHOST``, ``PGUSER``, ``PGPASSWORD``, ``PGSSLMODE``, ``~/.pgpass``, ``PGSERVICE`` …).
* **No credential in any output.** :attr:`url` is the display form with the password masked;
  every driver error is scrubbed of secret values before it becomes a :class:`RegistryError`
  (``urls.py``).
* **Writers one at a time.** A write transaction takes a transaction-scoped advisory lock
  right after ``BEGIN``: the same serialisation SQLite's ``BEGIN IMMEDIATE`` gives, so two
  imports can neither deadlock nor both insert the same file, and generations are handed out
  in commit order. Readers (``check``) never wait: MVCC. Imports are short transactions of
  rows, so serialising them costs nothing a department would notice.
* **Fast index load.** :meth:`index_rows` pages through the primary key (keyset pagination),
  so loading 10^6 index rows neither holds a transaction open nor buffers the whole result.
"""

from __future__ import annotations

from typing import Any, Iterator

from imagerights.registry.schema import POSTGRES
from imagerights.registry.sql import SQLStore
from imagerights.registry.store import RegistryError
from imagerights.registry.urls import PgTarget, parse_pg_url

try:
    import psycopg
    from psycopg import errors as pg_errors
except ImportError as _exc:  # pragma: no cover - the extra is not installed
    raise ImportError(f"psycopg 3 is needed for PostgreSQL registries ({_exc})") from None

# pg_advisory_xact_lock(WRITER_LOCK): "IR" + "regi" — any two int4 values unlikely to collide
WRITER_LOCK = (0x4952, 0x72656769)
WRITER_WAIT = "600s"  # how long a writer waits for another writer before giving up
CONNECT_TIMEOUT_S = 10
PAGE = 50_000  # index rows per page in index_rows (~3 MB)


class PostgresStore(SQLStore):
    dialect = POSTGRES
    integrity_errors = (psycopg.IntegrityError,)
    begin_statement = "BEGIN"

    def __init__(self, url: str, *, readonly: bool = False, migrate: bool | None = True):
        """Connect; then migrate (``migrate=True``, writable stores, like SQLite), or only check
        that the schema is current (``False``, and always when read-only), or neither (``None``:
        ``registry migrate`` looks first, then migrates itself)."""
        self.target: PgTarget = parse_pg_url(url)
        conn = self._connect(self.target, readonly)
        super().__init__(self.target.display, conn, readonly=readonly)
        try:
            if migrate and not readonly:
                self.migrate()
            elif migrate is not None or readonly:
                self._check_version()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"<PostgresStore {self.url}{' read-only' if self.readonly else ''}>"

    # ------------------------------------------------------------------ connection
    @staticmethod
    def _connect(target: PgTarget, readonly: bool) -> Any:
        import os

        extra: dict[str, Any] = {}
        if "connect_timeout" not in target.params and not os.environ.get("PGCONNECT_TIMEOUT"):
            extra["connect_timeout"] = CONNECT_TIMEOUT_S
        if "application_name" not in target.params and not os.environ.get("PGAPPNAME"):
            extra["application_name"] = "imagerights"
        try:
            conn = psycopg.connect(target.conninfo, autocommit=True, **extra)
        except psycopg.Error as exc:
            raise RegistryError(f"cannot connect to registry {target.display}: "
                                f"{target.scrub(exc).strip()}") from None
        try:
            # bound the wait for the writer lock, unless the user set lock_timeout (PGOPTIONS)
            conn.execute("SELECT set_config('lock_timeout', %s, false) "
                         "WHERE current_setting('lock_timeout') IN ('0', '0ms')", (WRITER_WAIT,))
            if readonly:
                conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            conn.close()
            raise RegistryError(f"registry {target.display}: {target.scrub(exc).strip()}") from None
        return conn

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass

    # ------------------------------------------------------------------ plumbing
    def _user_error(self, exc: BaseException) -> RegistryError:
        text = self.target.scrub(exc).strip()
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            text += (" — your database role may read but not change the registry; "
                     "ask its administrators (schema changes: `imagerights registry migrate`)")
        return RegistryError(f"registry {self.url}: {text}")

    def _exec(self, query: str, params: tuple | list = ()) -> Any:
        try:
            return super()._exec(query, params)
        except (psycopg.OperationalError, pg_errors.InsufficientPrivilege,
                pg_errors.ReadOnlySqlTransaction) as exc:
            raise self._user_error(exc) from None

    def _exec_many(self, query: str, rows: list[tuple]) -> None:
        try:
            super()._exec_many(query, rows)
        except (psycopg.OperationalError, pg_errors.InsufficientPrivilege,
                pg_errors.ReadOnlySqlTransaction) as exc:
            raise self._user_error(exc) from None

    def _begin(self) -> None:
        """BEGIN, then wait (up to :data:`WRITER_WAIT`) for the registry's writer lock."""
        self._exec("BEGIN")
        try:
            self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITER_LOCK)
        except pg_errors.LockNotAvailable:
            self._rollback_quietly()
            raise RegistryError(f"registry {self.url}: another process kept the registry locked for writing "
                                f"longer than lock_timeout ({WRITER_WAIT} unless set); try again later") from None
        except BaseException as exc:
            self._rollback_quietly()
            if isinstance(exc, psycopg.Error):
                raise self._user_error(exc) from None
            raise

    def _rollback_quietly(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001
            pass

    def _reset_after_error(self) -> None:
        # an error inside an open transaction poisons it; outside one (autocommit) nothing to do
        if self._depth == 0 and self.conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            self._rollback_quietly()

    def _check_version(self) -> None:
        from imagerights.registry.schema import LATEST

        version = self.schema_version()
        if version > LATEST:
            raise RegistryError(f"registry {self.url} has schema version {version}, newer than this "
                                f"imagerights understands ({LATEST}); upgrade imagerights")
        if version < LATEST:
            raise RegistryError(f"registry {self.url} has schema version {version}, this imagerights needs "
                                f"{LATEST}: run `imagerights registry migrate`")

    # ------------------------------------------------------------------ reads
    def index_rows(self, algo: int) -> Iterator[tuple[str, bytes]]:
        """All ``(asset_id, index_key)`` of ``algo``, by id, one primary-key page at a time."""
        last: str | None = None
        while True:
            if last is None:
                cur = self._exec("SELECT asset_id, index_key FROM fingerprints WHERE algo = ? "
                                 "ORDER BY asset_id LIMIT ?", (algo, PAGE))
            else:
                cur = self._exec("SELECT asset_id, index_key FROM fingerprints WHERE algo = ? AND asset_id > ? "
                                 "ORDER BY asset_id LIMIT ?", (algo, last, PAGE))
            rows = cur.fetchall()
            for asset_id, key in rows:
                yield asset_id, bytes(key)
            if len(rows) < PAGE:
                return
            last = rows[-1][0]

    def server_info(self) -> dict[str, Any]:
        """Where we are connected (for ``registry migrate``/``info`` output; no password)."""
        info = self.conn.info
        return {"backend": "postgresql", "server_version": info.server_version,
                "host": info.host, "port": info.port, "dbname": info.dbname, "user": info.user}
