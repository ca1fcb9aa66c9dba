"""Keeping a long-lived in-memory index in step with a shared registry, cheaply.

A department's registry holds 10^5–10^6 assets; loading their index rows takes a second or
more, so a process loads them once. Others keep adding and removing assets meanwhile. Every
committed write transaction bumps the registry's generation and logs the ids it touched under
it (``registry_changes``, see ``sql.py``), so the process asks "what changed since generation
n?" — one indexed query, usually returning nothing — instead of reloading.

:class:`IndexFeed` wraps that protocol for the matcher::

    feed = IndexFeed(store, algo)
    index = build(feed.load())           # full load; the feed remembers the generation
    ...
    changes = feed.poll()                # before a query (or every few seconds)
    if changes is None:
        index = build(feed.load())       # history pruned / registry replaced: reload
    else:
        index.apply(changes.upserts, changes.removed)

:func:`prune_changes` keeps the log short; a reader older than the pruned history reloads.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Iterator

from imagerights.registry.store import IndexChanges, Store

NO_CHANGES = IndexChanges(0, [], [], [])


class IndexFeed:
    """Full load once, then only the changes since the generation last seen."""

    def __init__(self, store: Store, algo: int, *, min_interval: float = 0.0):
        self.store = store
        self.algo = algo
        self.min_interval = min_interval  # seconds between polls that touch the database
        self.seq: int | None = None
        self._polled_at = 0.0

    def load(self) -> Iterator[tuple[str, bytes]]:
        """Every ``(asset_id, index_key)``; remembers the generation read *before* the rows.

        Rows written after that generation may already be in the load; the next :meth:`poll`
        returns them again, which is harmless because changes carry current state.
        """
        self.seq = self.store.change_seq()
        self._polled_at = time.monotonic()
        yield from self.store.index_rows(self.algo)

    def poll(self) -> IndexChanges | None:
        """What changed since the last load or poll; None means "call :meth:`load` again"."""
        if self.seq is None:
            return None
        now = time.monotonic()
        if self.min_interval and now - self._polled_at < self.min_interval:
            return IndexChanges(self.seq, [], [], [])
        self._polled_at = now
        current = self.store.change_seq()
        if current == self.seq:
            return IndexChanges(self.seq, [], [], [])
        changes = self.store.index_changes(self.algo, self.seq)
        if changes is None:
            self.seq = None
            return None
        self.seq = changes.seq
        return changes


def prune_changes(store: Store, *, older_than_days: float = 30.0) -> int:
    """Delete change-log rows older than the given age; returns how many went.

    Raises the log's floor to the newest pruned generation, so a process that last synced
    before it gets None from ``index_changes`` and reloads (it cannot miss a change).
    """
    from imagerights.registry.sql import SQLStore

    if not isinstance(store, SQLStore):
        return 0
    cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=older_than_days)).replace(microsecond=0)
    with store.transaction():
        row = store._one("SELECT MAX(seq) FROM registry_changes WHERE changed_at < ?",
                         (cutoff.isoformat(),))
        if not row or row[0] is None:
            return 0
        top = int(row[0])
        # seq order is commit order; changed_at comes from writers' clocks, which may differ
        cur = store._exec("DELETE FROM registry_changes WHERE seq <= ?", (top,))
        raise_floor(store, top)
    return int(cur.rowcount or 0)


def raise_floor(store: Store, seq: int) -> None:
    """Readers that last synced before ``seq`` must reload (inside a write transaction)."""
    store._exec("UPDATE registry_state SET value = ? WHERE key = 'changes_floor' "  # type: ignore[attr-defined]
                "AND CAST(value AS BIGINT) < ?", (str(seq), seq))


def mark_bulk_change(store: Store) -> int:
    """After a bulk write that logged no per-asset changes (``registry copy``): bump the
    generation and make every reader reload. Call inside the write transaction."""
    seq = store._bump_generation()  # type: ignore[attr-defined]
    raise_floor(store, seq)
    return seq
