"""A :class:`~imagerights.registry.store.Store` over any DB-API connection, driven by ``schema.py``.

SQLite (``sqlite.py``) and PostgreSQL (``postgres.py``) are thin subclasses: they open the
connection in autocommit mode, name their :class:`~imagerights.registry.schema.Dialect` and
their integrity-error classes, and say how a write transaction begins. Everything else —
migrations, queries, row ↔ :class:`Asset` conversion, duplicate handling — lives here once.

Transactions are explicit (``BEGIN``/``COMMIT``/``ROLLBACK`` on an autocommit connection)
so both drivers behave the same. A nested ``transaction()`` is a SAVEPOINT, so an exception the
caller catches (a duplicate during an import) undoes only that block — and PostgreSQL, which
refuses every statement after an error in a transaction, can carry on.

Change log: every write records which asset it touched; the outermost commit bumps the
registry's generation once (atomically, in commit order) and writes those ids to
``registry_changes`` under it. :meth:`SQLStore.index_changes` lets a long-lived in-memory
index fetch just the assets changed since the generation it last saw.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

from imagerights.registry.schema import (
    ASSET_COLUMNS,
    LATEST,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    Dialect,
)
from imagerights.registry.store import (
    EDITABLE,
    Asset,
    DuplicateAsset,
    Fingerprint,
    IndexChanges,
    RegistryError,
    Store,
    UnknownAsset,
    now_iso,
)

_FP_COLUMNS = ("algo", "index_key", "hashes", "features", "thumb")


def _bool_or_none(value: Any) -> bool | None:
    return None if value is None else bool(value)


class SQLStore(Store):
    """Shared SQL implementation. Subclasses set ``dialect``, ``integrity_errors`` and ``conn``."""

    dialect: Dialect
    integrity_errors: tuple[type[BaseException], ...] = ()
    begin_statement = "BEGIN"

    def __init__(self, url: str, conn: Any, *, readonly: bool = False):
        self.url = url
        self.conn = conn
        self.readonly = readonly
        self._depth = 0
        self._pending: list[tuple[str, str]] = []  # (asset_id, op) written in the open transaction

    # ------------------------------------------------------------------ plumbing
    def _exec(self, query: str, params: tuple | list = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self.dialect.q(query), tuple(params))
        return cur

    def _one(self, query: str, params: tuple | list = ()) -> Any:
        return self._exec(query, params).fetchone()

    def _exec_many(self, query: str, rows: list[tuple]) -> None:
        self.conn.cursor().executemany(self.dialect.q(query), rows)

    def _begin(self) -> None:
        """Start the outermost write transaction (hook: PostgreSQL also takes its writer lock)."""
        self._exec(self.begin_statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            name = f"sp{self._depth}"
            mark = len(self._pending)
            self._exec(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                del self._pending[mark:]
                try:
                    self._exec(f"ROLLBACK TO SAVEPOINT {name}")
                    self._exec(f"RELEASE SAVEPOINT {name}")
                except Exception:  # noqa: BLE001 - the connection may already be gone
                    pass
                raise
            finally:
                self._depth -= 1
            self._exec(f"RELEASE SAVEPOINT {name}")
            return
        if self.readonly:
            raise RegistryError(f"registry {self.url} is open read-only")
        self._begin()
        self._depth = 1
        self._pending = []
        try:
            yield
            self._flush_changes()
        except BaseException:
            self._depth = 0
            self._pending = []
            try:
                self._exec("ROLLBACK")
            except Exception:  # noqa: BLE001 - the connection may already be gone
                pass
            raise
        self._depth = 0
        self._pending = []
        self._exec("COMMIT")

    def _bump_generation(self) -> int:
        """Increment the generation atomically (no read-modify-write race) and return it."""
        self._exec("UPDATE registry_state SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) "
                   "WHERE key = 'generation'")
        row = self._one("SELECT value FROM registry_state WHERE key = 'generation'")
        return int(row[0]) if row else 0

    def _changed(self, asset_id: str, op: str) -> None:
        """Note that the open transaction touched ``asset_id`` (logged at commit)."""
        self._pending.append((asset_id, op))

    def _flush_changes(self) -> None:
        """Just before COMMIT: one generation bump for the whole transaction, its ids logged under it.

        The generation row stays locked until COMMIT, so generations are handed out in commit
        order and a reader never sees generation n+1 committed before n.
        """
        if not self._pending:
            return
        seq = self._bump_generation()
        latest: dict[str, str] = {}
        for asset_id, op in self._pending:
            latest[asset_id] = "add" if latest.get(asset_id) == "add" and op != "remove" else op
        at = now_iso()
        self._exec_many("INSERT INTO registry_changes (seq, asset_id, op, changed_at) VALUES (?, ?, ?, ?)",
                        [(seq, asset_id, op, at) for asset_id, op in latest.items()])

    # ------------------------------------------------------------------ migrations
    def schema_version(self) -> int:
        try:
            row = self._one("SELECT MAX(version) FROM schema_migrations")
        except Exception:  # noqa: BLE001 - no table yet
            self._reset_after_error()
            return 0
        return int(row[0] or 0)

    def _reset_after_error(self) -> None:
        """Hook: PostgreSQL must roll back an aborted transaction; SQLite need not."""

    def _lock_for_migration(self) -> None:
        """Hook: serialise concurrent migrators (SQLite's BEGIN IMMEDIATE already does)."""

    def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; returns the new version."""
        current = self.schema_version()
        if current > LATEST:
            raise RegistryError(
                f"registry {self.url} has schema version {current}, newer than this imagerights "
                f"understands ({LATEST}); upgrade imagerights")
        if current == LATEST:
            return current
        if self.readonly:
            raise RegistryError(f"registry {self.url} needs a schema upgrade ({current} → {LATEST}) "
                                "but is open read-only")
        for migration in MIGRATIONS:
            with self.transaction():
                self._lock_for_migration()
                self._exec(self.dialect.ddl(MIGRATIONS_TABLE))
                row = self._one("SELECT MAX(version) FROM schema_migrations")
                if int(row[0] or 0) >= migration.version:
                    continue  # applied meanwhile by another process
                for statement in migration.statements:
                    self._exec(self.dialect.ddl(statement))
                self._exec("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                           (migration.version, migration.description, now_iso()))
        return self.schema_version()

    # ------------------------------------------------------------------ conversion
    def _asset_params(self, a: Asset) -> tuple:
        values = a.to_dict()
        values["creators"] = json.dumps(a.creators, ensure_ascii=False)
        values["channels"] = json.dumps(a.channels, ensure_ascii=False)
        values["editorial_only"] = int(a.editorial_only)
        values["people_present"] = None if a.people_present is None else int(a.people_present)
        return tuple(values[c] for c in ASSET_COLUMNS)

    @staticmethod
    def _asset_from_row(row: Any) -> Asset:
        d = dict(zip(ASSET_COLUMNS, row))
        d["creators"] = json.loads(d["creators"] or "[]")
        d["channels"] = json.loads(d["channels"] or "[]")
        d["editorial_only"] = bool(d["editorial_only"])
        d["people_present"] = _bool_or_none(d["people_present"])
        return Asset(**d)

    @staticmethod
    def _fp_from_row(row: Any) -> Fingerprint:
        algo, key, hashes, features, thumb = row
        return Fingerprint(int(algo), bytes(key), bytes(hashes),
                           None if features is None else bytes(features),
                           None if thumb is None else bytes(thumb))

    # ------------------------------------------------------------------ writes
    def add(self, asset: Asset, fingerprint: Fingerprint) -> None:
        asset.validate()
        if not asset.added_at:
            asset.added_at = now_iso()
        with self.transaction():
            existing = self.find_sha256(asset.sha256)
            if existing is not None:
                raise DuplicateAsset(f"already registered as {existing.asset_id}", existing.asset_id)
            if self.get(asset.asset_id) is not None:
                raise DuplicateAsset(f"asset id {asset.asset_id} is already used by another file", asset.asset_id)
            cols = ", ".join(ASSET_COLUMNS)
            marks = ", ".join("?" * len(ASSET_COLUMNS))
            try:
                # ON CONFLICT: a concurrent writer that registered the same file meanwhile makes
                # this a no-op (rowcount 0) instead of an error that would abort a PG transaction
                cur = self._exec(f"INSERT INTO assets ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                                 self._asset_params(asset))
                if not cur.rowcount:
                    other = self.find_sha256(asset.sha256) or self.get(asset.asset_id)
                    other_id = other.asset_id if other else asset.asset_id
                    raise DuplicateAsset(f"already registered as {other_id}", other_id)
                self._exec(f"INSERT INTO fingerprints (asset_id, {', '.join(_FP_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                           (asset.asset_id, fingerprint.algo, fingerprint.index_key, fingerprint.hashes,
                            fingerprint.features, fingerprint.thumb))
            except self.integrity_errors as exc:  # a concurrent writer won the race
                raise DuplicateAsset(f"already registered ({exc})", asset.asset_id) from None
            self._changed(asset.asset_id, "add")

    def update(self, asset_id: str, **changes: Any) -> Asset:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise RegistryError(f"cannot change {', '.join(sorted(unknown))}")
        with self.transaction():
            current = self.get(asset_id)
            if current is None:
                raise UnknownAsset(f"no asset {asset_id}")
            new = current.with_changes(**changes, updated_at=now_iso())
            new.validate()
            params = self._asset_params(new)
            sets = ", ".join(f"{c} = ?" for c in ASSET_COLUMNS[1:])
            self._exec(f"UPDATE assets SET {sets} WHERE asset_id = ?", (*params[1:], asset_id))
            self._changed(asset_id, "update")
        return new

    def set_fingerprint(self, asset_id: str, fingerprint: Fingerprint) -> None:
        with self.transaction():
            if self.get(asset_id) is None:
                raise UnknownAsset(f"no asset {asset_id}")
            self._exec("DELETE FROM fingerprints WHERE asset_id = ?", (asset_id,))
            self._exec(f"INSERT INTO fingerprints (asset_id, {', '.join(_FP_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                       (asset_id, fingerprint.algo, fingerprint.index_key, fingerprint.hashes,
                        fingerprint.features, fingerprint.thumb))
            self._changed(asset_id, "fingerprint")

    def remove(self, asset_id: str) -> bool:
        with self.transaction():
            # delete the child first: correct even where foreign keys are not enforced
            self._exec("DELETE FROM fingerprints WHERE asset_id = ?", (asset_id,))
            cur = self._exec("DELETE FROM assets WHERE asset_id = ?", (asset_id,))
            gone = (cur.rowcount or 0) > 0
            if gone:
                self._changed(asset_id, "remove")
        return gone

    # ------------------------------------------------------------------ reads
    def get(self, asset_id: str) -> Asset | None:
        row = self._one(f"SELECT {', '.join(ASSET_COLUMNS)} FROM assets WHERE asset_id = ?", (asset_id,))
        return self._asset_from_row(row) if row else None

    def find_sha256(self, sha256: str) -> Asset | None:
        row = self._one(f"SELECT {', '.join(ASSET_COLUMNS)} FROM assets WHERE sha256 = ?", (sha256.lower(),))
        return self._asset_from_row(row) if row else None

    def resolve(self, id_or_prefix: str) -> str:
        key = (id_or_prefix or "").strip()
        if not key:
            raise UnknownAsset("empty asset id")
        if self._one("SELECT asset_id FROM assets WHERE asset_id = ?", (key,)):
            return key
        if len(key) >= 4:
            like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._exec("SELECT asset_id FROM assets WHERE asset_id LIKE ? ESCAPE '\\' ORDER BY asset_id LIMIT 3",
                              (like,)).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise UnknownAsset(f"asset id prefix {key!r} is ambiguous: {', '.join(r[0] for r in rows)} …")
        raise UnknownAsset(f"no asset {key!r} in the registry")

    def assets(self, *, status: str | None = None, license_id: str | None = None) -> Iterator[Asset]:
        where, params = [], []
        if status:
            where.append("status = ?")
            params.append(status)
        if license_id:
            where.append("license_id = ?")
            params.append(license_id)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        cur = self._exec(f"SELECT {', '.join(ASSET_COLUMNS)} FROM assets{clause} ORDER BY asset_id", params)
        for row in cur.fetchall():
            yield self._asset_from_row(row)

    def count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM assets")[0])

    def fingerprint(self, asset_id: str) -> Fingerprint | None:
        row = self._one(f"SELECT {', '.join(_FP_COLUMNS)} FROM fingerprints WHERE asset_id = ?", (asset_id,))
        return self._fp_from_row(row) if row else None

    def fingerprints(self, asset_ids: list[str]) -> dict[str, Fingerprint]:
        out: dict[str, Fingerprint] = {}
        ids = list(dict.fromkeys(asset_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            cur = self._exec(f"SELECT asset_id, {', '.join(_FP_COLUMNS)} FROM fingerprints WHERE asset_id IN ({marks})",
                             chunk)
            for row in cur.fetchall():
                out[row[0]] = self._fp_from_row(row[1:])
        return out

    def fingerprint_hashes(self, asset_ids: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        ids = list(dict.fromkeys(asset_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            cur = self._exec(f"SELECT asset_id, hashes FROM fingerprints WHERE asset_id IN ({marks})", chunk)
            for asset_id, hashes in cur.fetchall():
                out[asset_id] = bytes(hashes)
        return out

    def index_rows(self, algo: int) -> Iterator[tuple[str, bytes]]:
        cur = self._exec("SELECT asset_id, index_key FROM fingerprints WHERE algo = ? ORDER BY asset_id", (algo,))
        while True:
            rows = cur.fetchmany(10_000)
            if not rows:
                break
            for asset_id, key in rows:
                yield asset_id, bytes(key)

    def stale_fingerprints(self, algo: int) -> list[str]:
        cur = self._exec("SELECT a.asset_id FROM assets a LEFT JOIN fingerprints f ON f.asset_id = a.asset_id "
                         "WHERE f.asset_id IS NULL OR f.algo <> ? ORDER BY a.asset_id", (algo,))
        return [r[0] for r in cur.fetchall()]

    def changed_token(self) -> str:
        return f"{self.url}#{self.change_seq()}"

    def change_seq(self) -> int:
        row = self._one("SELECT value FROM registry_state WHERE key = 'generation'")
        return int(row[0]) if row else 0

    def index_changes(self, algo: int, since: int) -> IndexChanges | None:
        # the changes first, then the floor: a prune racing with us is seen either way
        rows = self._exec("SELECT c.seq, c.asset_id, f.algo, f.index_key FROM registry_changes c "
                          "LEFT JOIN fingerprints f ON f.asset_id = c.asset_id "
                          "WHERE c.seq > ? ORDER BY c.seq, c.asset_id", (since,)).fetchall()
        floor = self._one("SELECT value FROM registry_state WHERE key = 'changes_floor'")
        current = self.change_seq()
        if since < int(floor[0] if floor else 0) or since > current:
            return None  # history not kept that far back, or a different registry: reload
        seq = since
        state: dict[str, tuple[int | None, Any]] = {}
        for row_seq, asset_id, row_algo, key in rows:
            seq = max(seq, int(row_seq))
            state[asset_id] = (row_algo, key)
        upserts = [(a, bytes(k)) for a, (al, k) in state.items() if al is not None and int(al) == algo]
        removed = [a for a, (al, _k) in state.items() if al is None or int(al) != algo]
        return IndexChanges(seq, upserts, removed, list(state))
