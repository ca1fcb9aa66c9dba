"""The incremental-audit cache: facts of files that did not change, kept between runs.

What is cached, and why only that
---------------------------------
The cache holds each file's **facts** (plus its perceptual hash and preview), never verdicts.
Facts depend on the file, the imagerights version, the analysis mode and the registry; verdicts
also depend on the policy, the intended use, the language and today's date (a licence expires).
So every run evaluates the rules afresh over cached facts: a change of ``--policy``, ``--use`` …
can never show a stale verdict, while the expensive part (decoding, faces, logos, matching) is
skipped. Everything the facts depend on goes into :func:`fingerprint`; a different fingerprint is
a different, empty namespace (old ones are pruned after :data:`PRUNE_DAYS`).

Keys
----
``(fingerprint, path, size, mtime_ns)`` finds an unchanged file without reading it (like make,
rsync and git do). A file whose size or time changed is read by a worker, which looks its
``sha256`` up (:func:`lookup_sha256`): a renamed, copied or merely touched file is not analysed
again. The content hash is stored with every entry.

Safety
------
SQLite in WAL mode, committed in small batches: Ctrl-C or a killed process loses at most the
last batch and never leaves a corrupt cache. The file lives in the user's cache directory
(``$IMAGERIGHTS_CACHE_DIR``, else ``$IMAGERIGHTS_DATA_DIR/cache``, else platformdirs'
user cache dir) and never inside an audited folder (:func:`check_outside`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import sys
import time
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from imagerights.facts import Facts
from imagerights.cachefile import cache_dir  # noqa: F401 - also this module's public name

CACHE_SCHEMA = 1
CACHE_FILE = "audit-cache.sqlite"
PRUNE_DAYS = 30
BATCH = 32
BATCH_SECONDS = 1.0


class CacheError(Exception):
    """The cache cannot be used (e.g. it would live inside the audited folder)."""


def cache_path() -> Path:
    return cache_dir() / CACHE_FILE


def check_outside(cache_file: Path, audited: list[Path]) -> None:
    """Refuse a cache inside an audited folder: the audit must not create files there."""
    real = Path(os.path.realpath(cache_file.parent))
    for folder in audited:
        top = Path(os.path.realpath(folder))
        if real == top or top in real.parents:
            raise CacheError(f"the cache directory {cache_file.parent} is inside the audited folder {folder}; "
                             "set IMAGERIGHTS_CACHE_DIR to a folder outside it")


def fingerprint(**parts: Any) -> str:
    """A digest of everything the cached facts depend on (version, mode, registry, libraries …)."""
    import PIL

    from imagerights import __version__
    from imagerights.limits import MAX_PIXELS

    data = {"schema": CACHE_SCHEMA, "version": __version__, "pillow": PIL.__version__,
            "python": sys.version_info[:2], "max_pixels": MAX_PIXELS, **parts}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass
class Entry:
    path: str
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    facts: Facts
    phash: str | None = None
    thumb: tuple[str, bytes] | None = None


# ------------------------------------------------------------------------------------------------
# Facts ⇄ JSON (the cache stores plain JSON, never pickles: a cache file is data, not code)
# ------------------------------------------------------------------------------------------------

def facts_to_json(facts: Facts) -> str:
    return json.dumps(facts.to_dict(), ensure_ascii=False, separators=(",", ":"), default=str)


def facts_from_json(text: str) -> Facts:
    return _build(Facts, json.loads(text))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its ``to_dict`` form (dataclasses, lists, tuples, unions)."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        for option in options:
            if dataclasses.is_dataclass(option) and isinstance(value, dict):
                return _build(option, value)
        for option in options:
            if typing.get_origin(option) in (list, tuple) and isinstance(value, list):
                return _build(option, value)
        return value
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in known})
    if origin is list and isinstance(value, list):
        (arg,) = typing.get_args(tp) or (Any,)
        return [_build(arg, v) for v in value]
    if origin is tuple and isinstance(value, list):
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value)) if args else tuple(value)
    if origin is dict and isinstance(value, dict):
        args = typing.get_args(tp)
        return {k: _build(args[1], v) for k, v in value.items()} if args else value
    return value


# ------------------------------------------------------------------------------------------------
# The store
# ------------------------------------------------------------------------------------------------

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS namespaces (fp TEXT PRIMARY KEY, last_used REAL NOT NULL, info TEXT);
CREATE TABLE IF NOT EXISTS entries (
  fp TEXT NOT NULL, path TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
  facts TEXT NOT NULL, phash TEXT, thumb_mime TEXT, thumb BLOB,
  PRIMARY KEY (fp, path)
);
CREATE INDEX IF NOT EXISTS entries_sha ON entries (fp, sha256);
"""


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    else:
        con = sqlite3.connect(str(path), timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA busy_timeout=10000")
    return con


def _entry(row: tuple) -> Entry:
    path, size, mtime_ns, sha, facts, phash, mime, thumb = row
    return Entry(path, size, mtime_ns, sha, facts_from_json(facts), phash, (mime, bytes(thumb)) if thumb else None)


_COLUMNS = "path, size, mtime_ns, sha256, facts, phash, thumb_mime, thumb"


class AuditCache:
    """The cache as the main process uses it: look up by stat, write in batches."""

    def __init__(self, path: Path, fp: str, info: dict | None = None):
        self.path = path
        self.fp = fp
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = _connect(path)
        with self.con:
            self.con.executescript(_SCHEMA_SQL)
            row = self.con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(CACHE_SCHEMA),))
            elif row[0] != str(CACHE_SCHEMA):  # another layout: start over
                self.con.execute("DELETE FROM entries")
                self.con.execute("DELETE FROM namespaces")
                self.con.execute("UPDATE meta SET value=? WHERE key='schema'", (str(CACHE_SCHEMA),))
            self.con.execute("INSERT OR REPLACE INTO namespaces VALUES (?, ?, ?)",
                             (fp, time.time(), json.dumps(info or {}, default=str)))
            self._prune()
        self._pending: list[tuple] = []
        self._last_commit = time.monotonic()

    def _prune(self) -> None:
        old = time.time() - PRUNE_DAYS * 86400
        stale = [r[0] for r in self.con.execute("SELECT fp FROM namespaces WHERE last_used < ?", (old,))]
        for fp in stale:
            self.con.execute("DELETE FROM entries WHERE fp=?", (fp,))
            self.con.execute("DELETE FROM namespaces WHERE fp=?", (fp,))

    def lookup(self, path: str, size: int | None, mtime_ns: int | None) -> Entry | None:
        """The entry of an unchanged file (same path, size and modification time)."""
        if size is None or mtime_ns is None:
            return None
        row = self.con.execute(f"SELECT {_COLUMNS} FROM entries WHERE fp=? AND path=? AND size=? AND mtime_ns=?",
                               (self.fp, path, size, mtime_ns)).fetchone()
        if row is None:
            return None
        try:
            return _entry(row)
        except Exception:  # noqa: BLE001 - an unreadable entry is a miss, not an error
            return None

    def put(self, entry: Entry) -> None:
        mime, thumb = entry.thumb if entry.thumb else (None, None)
        self._pending.append((self.fp, entry.path, entry.size, entry.mtime_ns, entry.sha256,
                              facts_to_json(entry.facts), entry.phash, mime, thumb))
        if len(self._pending) >= BATCH or time.monotonic() - self._last_commit > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            with self.con:
                self.con.executemany(f"INSERT OR REPLACE INTO entries (fp, {_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                                     self._pending)
            self._pending.clear()
        self._last_commit = time.monotonic()

    def count(self) -> int:
        return self.con.execute("SELECT count(*) FROM entries WHERE fp=?", (self.fp,)).fetchone()[0]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.con.close()


class Sha256Lookup:
    """The workers' read-only view: facts of a file with the same content (renamed, copied, touched)."""

    def __init__(self, path: Path, fp: str):
        self.fp = fp
        self.con = _connect(path, readonly=True) if path.exists() else None

    def __call__(self, sha256: str) -> Entry | None:
        if self.con is None:
            return None
        try:
            row = self.con.execute(f"SELECT {_COLUMNS} FROM entries WHERE fp=? AND sha256=? LIMIT 1",
                                   (self.fp, sha256)).fetchone()
            return _entry(row) if row else None
        except Exception:  # noqa: BLE001 - a busy or broken cache is a miss
            return None
