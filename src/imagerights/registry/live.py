"""A candidate index that stays in step with a shared registry while the process runs.

``index.py``'s :class:`~imagerights.registry.index.HashIndex` is built once from every index
row; its multi-index tables are not meant to be edited. In a department registry, other people
add and remove assets while a long-running process matches (a folder audit, a service). So
:class:`LiveIndex` keeps

* the **base**: the ``HashIndex`` from the full load;
* a **delta**: a small brute-force ``HashIndex`` of the rows added or re-fingerprinted since;
* a **hidden** set: ids removed or replaced since, filtered out of base results.

Before every search it asks the registry what changed since the generation it last saw
(:class:`~imagerights.registry.changes.IndexFeed`). That is one small query, and it does
nothing when nothing changed. When the delta grows past a few percent of the base, or the
change log cannot tell (history pruned, a bulk copy), it reloads everything once.

It offers ``HashIndex``'s interface (``search``, ``size``, ``nbytes``), so the matcher can
use it in place of one.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from imagerights.registry.changes import IndexFeed
from imagerights.registry.store import Store

REBUILD_MIN = 2_000  # delta + hidden rows before a full reload is considered…
REBUILD_FRACTION = 0.05  # …and their share of the base that triggers it


class LiveIndex:
    """Base ``HashIndex`` + delta + hidden ids, refreshed from the registry's change log."""

    def __init__(self, store: Store, algo: int, columns: int, *, min_interval: float = 0.0,
                 index_factory: Callable[[Iterable[tuple[str, bytes]], int], Any] | None = None):
        if index_factory is None:
            from imagerights.registry.index import HashIndex

            index_factory = HashIndex.from_rows
        self._factory = index_factory
        self.columns = columns
        self.feed = IndexFeed(store, algo, min_interval=min_interval)
        self._listeners: list[Callable[[list[str] | None], None]] = []
        self.reloads = 0
        self._reload()

    # ------------------------------------------------------------------ state
    def _reload(self) -> None:
        self.base = self._factory(self.feed.load(), self.columns)
        self.delta_rows: dict[str, bytes] = {}
        self.hidden: set[str] = set()
        self.delta = None
        self.reloads += 1

    def on_change(self, listener: Callable[[list[str] | None], None]) -> None:
        """Call ``listener(ids)`` with every batch of changed ids (metadata edits included), or
        ``listener(None)`` after a full reload — e.g. to drop cached :class:`Asset` records."""
        self._listeners.append(listener)

    def refresh(self) -> bool:
        """Apply what others changed since the last refresh; True if anything did."""
        changes = self.feed.poll()
        if changes is None:
            self._reload()
            self._notify(None)
            return True
        if not changes.changed:
            return False
        for asset_id in changes.removed:
            self.hidden.add(asset_id)
            self.delta_rows.pop(asset_id, None)
        for asset_id, key in changes.upserts:
            self.hidden.add(asset_id)  # its old key, if the base has one, no longer counts
            self.delta_rows[asset_id] = key
        if len(self.delta_rows) + len(self.hidden) > max(REBUILD_MIN, REBUILD_FRACTION * self.base.size):
            self._reload()
            self._notify(None)
            return True
        self.delta = self._factory(self.delta_rows.items(), self.columns) if self.delta_rows else None
        self._notify(list(changes.changed))
        return True

    def _notify(self, ids: list[str] | None) -> None:
        for listener in self._listeners:
            listener(ids)

    # ------------------------------------------------------------------ HashIndex interface
    @property
    def size(self) -> int:
        """Rows searchable: the base (minus nothing: removed ids are filtered per search) plus
        the delta. An upper bound of the registry's size until the next reload."""
        return self.base.size + (self.delta.size if self.delta is not None else 0)

    @property
    def nbytes(self) -> int:
        return self.base.nbytes + (self.delta.nbytes if self.delta is not None else 0)

    def search(self, pairs: list[tuple[int, int]], max_distance: int, limit: int, radius: int = 1) -> list:
        self.refresh()
        found = self.base.search(pairs, max_distance, limit + len(self.hidden), radius)
        if self.hidden:
            found = [c for c in found if c.asset_id not in self.hidden]
        if self.delta is not None:
            found += self.delta.search(pairs, max_distance, limit, radius)
        found.sort(key=lambda c: c.distance)
        return found[:limit]
