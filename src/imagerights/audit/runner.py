"""Run an audit: walk → cache → workers → rules, one row per file, whatever happens to any file.

The flow is the same as ``imagerights check`` (facts → rules → findings), with three additions:
files are analysed in parallel worker processes (:mod:`.pool`), unchanged files take their facts
from the cache (:mod:`.cache`, ``--incremental``), and an interruption (Ctrl-C) ends the run with
the rows it has, marked partial, and a cache the next run continues from.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from imagerights.audit.cache import AuditCache, Entry, cache_path, check_outside, fingerprint
from imagerights.audit.identical import group_identical
from imagerights.audit.pool import WorkerPool
from imagerights.audit.worker import FileOutcome, WorkerConfig
from imagerights.facts import Facts, FileError
from imagerights.sources.walk import FileItem, Walk, walk

STATUSES = ("analysed", "cached", "same-content", "unreadable", "timeout", "crashed")
# "same-content": byte-for-byte the same as another file of this audit, which was analysed in its
# place (its facts, under this file's own name, then go through the rules like any other row)


@dataclass
class AuditOptions:
    jobs: int = 0  # 0 = one per core
    timeout: float = 30.0
    incremental: bool = False
    fast: bool = False
    thumbnails: bool = False
    exclude: tuple[str, ...] = ()
    all_files: bool = False
    registry: bool = True
    registry_url: str | None = None
    logos: bool = True
    faces: bool = True
    provenance: bool = True
    memory_mb: int | None = 4096

    def effective_jobs(self) -> int:
        if self.jobs and self.jobs > 0:
            return self.jobs
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:
            return max(1, os.cpu_count() or 1)


@dataclass
class Row:
    """One audited file: its facts, the rules' result and the audit's extras."""

    item: FileItem
    facts: Facts
    result: Any  # imagerights.evaluate.Result
    status: str  # one of STATUSES
    seconds: float = 0.0
    phash: str | None = None
    thumb: tuple[str, bytes] | None = None

    @property
    def rel(self) -> str:
        return self.item.rel


@dataclass
class AuditRun:
    walk: Walk
    rows: list[Row]
    started: dt.datetime
    elapsed: float
    partial: bool = False
    not_audited: list[str] = field(default_factory=list)
    jobs: int = 1
    options: AuditOptions = field(default_factory=AuditOptions)
    workers_replaced: int = 0
    cache_file: str | None = None
    peak_worker_rss_mb: float | None = None
    worker_cpu_seconds: float = 0.0  # summed over the analysed files (machine load does not inflate it)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def registry_token(options: AuditOptions) -> str:
    """Something that changes whenever the registry's content changes (part of the cache fingerprint)."""
    if not options.registry:
        return "off"
    try:
        from imagerights.registry.store import is_postgres, open_store, registry_url, sqlite_path
    except ImportError:
        return "unavailable"
    resolved = registry_url(options.registry_url)
    parts: list[Any] = [resolved]
    if not is_postgres(resolved):
        try:
            db = sqlite_path(resolved)
            for f in (db, db.with_name(db.name + "-wal")):
                try:
                    st = f.stat()
                    parts += [st.st_size, st.st_mtime_ns]
                except OSError:
                    parts.append(None)
        except Exception:  # noqa: BLE001
            parts.append("bad-url")
    try:
        with open_store(resolved, create=False, readonly=True) as store:
            parts.append(store.changed_token())
    except Exception as exc:  # noqa: BLE001 - no registry: matches are empty, which is a state too
        parts.append(type(exc).__name__)
    return json.dumps(parts, default=str)


def cache_fingerprint(options: AuditOptions) -> str:
    from imagerights.audit.similar import hash_impl

    return fingerprint(fast=options.fast, logos=options.logos, faces=options.faces,
                       provenance=options.provenance, registry=registry_token(options), hash=hash_impl(options.fast))


Evaluator = Callable[[Facts], Any]
Progress = Callable[[int, int, str], None]


def run_audit(paths: list[str | os.PathLike], options: AuditOptions, evaluator: Evaluator,
              progress: Progress | None = None, walked: Walk | None = None) -> AuditRun:
    """Audit ``paths``. ``evaluator(facts) -> Result`` applies the rules (policy, use, language …).

    ``progress(done, total, rel)`` is called after each file. A KeyboardInterrupt (Ctrl-C, or raised
    by ``progress``) ends the run early: the result is marked ``partial`` and lists what was not
    audited; everything already analysed is in the cache.
    """
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.monotonic()
    tree = walked if walked is not None else walk(paths, exclude=options.exclude, all_files=options.all_files)
    items = tree.files
    total = len(items)
    rows: list[Row | None] = [None] * total
    done = 0

    cache: AuditCache | None = None
    fp = None
    if options.incremental:
        path = cache_path()
        check_outside(path, [Path(p) for p in paths if Path(p).is_dir()] or [tree.base])
        fp = cache_fingerprint(options)
        cache = AuditCache(path, fp, info={"fast": options.fast})

    evaluated: dict[int, Any] = {}  # analysed file's index → its result, for its byte-identical copies

    def finish(index: int, facts: Facts, status: str, outcome: FileOutcome | None = None,
               content: int | None = None) -> None:
        """``content``: the index of the file whose analysis these facts are (a copy's original):
        the rules see the same facts under another name, so they run once per content."""
        nonlocal done
        item = items[index]
        facts.path = item.rel
        like = evaluated.get(content) if content is not None else None
        result = for_copy(like, facts) if like is not None else evaluator(facts)
        if content is not None:
            evaluated.setdefault(content, result)
        rows[index] = Row(item=item, facts=facts, result=result, status=status,
                          seconds=outcome.seconds if outcome else 0.0,
                          phash=outcome.phash if outcome else None, thumb=outcome.thumb if outcome else None)
        done += 1
        if progress:
            progress(done, total, item.rel)

    peak: list[float] = []
    cpu: list[float] = []

    copies: dict[int, list[int]] = {}  # analysed file → files with the same bytes, given its facts
    known = [False]  # are the copies known yet?
    held: dict[int, FileOutcome] = {}  # outcomes that arrived before that: their copies come later

    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.licensing.identify import identify_licence

    catalogue = default_catalogue()

    def on_result(index: int, outcome: FileOutcome) -> None:
        if not outcome.reused and not outcome.transient:
            # the workers leave this fact to us: we hold the catalogue (AnalyseOptions.licence)
            identify_licence(outcome.facts, catalogue)
        if not known[0]:
            held[index] = outcome
        for other in copies.pop(index, ()):
            record(other, same_content(outcome), content=index)
        record(index, outcome, content=index)

    def record(index: int, outcome: FileOutcome, content: int | None = None) -> None:
        item = items[index]
        if outcome.peak_rss_mb:
            peak.append(outcome.peak_rss_mb)
        cpu.append(outcome.cpu_seconds)
        facts = outcome.facts
        stages = {e.stage for e in facts.errors}
        status = "cached" if outcome.reused else "same-content" if outcome.same_content else "analysed"
        if outcome.transient:
            status = "timeout" if "timeout" in stages else "crashed"
        if cache is not None and not outcome.transient:
            cache.put(Entry(str(item.path), item.size, item.mtime_ns, facts.sha256, facts, outcome.phash,
                            outcome.thumb))
        finish(index, facts, status, outcome, content if not outcome.transient else None)

    partial = False
    pool = None
    try:
        to_analyse: list[tuple[int, str]] = []
        for i, item in enumerate(items):
            if item.problem:
                finish(i, Facts(path=item.rel, size=item.size, errors=[FileError("open", item.problem)]),
                       "unreadable")
                continue
            if cache is not None:
                hit = cache.lookup(str(item.path), item.size, item.mtime_ns)
                if hit is not None and (hit.thumb is not None or not options.thumbnails or hit.phash is None):
                    finish(i, hit.facts, "cached", FileOutcome(hit.facts, hit.phash, hit.thumb, 0.0, reused=True))
                    continue
            to_analyse.append((i, str(item.path)))
        if to_analyse:
            cfg = WorkerConfig(fast=options.fast, logos=options.logos, faces=options.faces,
                               provenance=options.provenance, registry=options.registry,
                               registry_url=options.registry_url,
                               # full mode: previews cost little next to the analysis and are cached, so a
                               # later --format html --incremental run needs no re-analysis
                               thumbnails=options.thumbnails or not options.fast,
                               cache_path=str(cache.path) if cache else None, cache_fp=fp,
                               memory_mb=options.memory_mb)
            if cache is not None:
                cache.flush()  # workers read the cache: let them see everything committed so far
            pool = WorkerPool(options.effective_jobs(), cfg, options.timeout)
            # Identical files are found (in a reading thread) while the workers start and analyse
            # the files that must be analysed either way: the first file of each size.
            first, later = first_of_each_size(to_analyse, items)
            # biggest first: the slow files (large HEIC, TIFF) start early instead of leaving one
            # worker busy at the end while the other has nothing left to do
            first.sort(key=lambda t: -(items[t[0]].size or 0))
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=1) as ex:
                grouping = ex.submit(group_identical, to_analyse, items)

                def more() -> list[tuple[int, str]] | None:
                    """The rest of the work once the copies are known (None: not yet)."""
                    if not grouping.done():
                        return None
                    try:
                        kept, found = grouping.result()
                    except Exception:  # noqa: BLE001 - only a shortcut: without it, every file is analysed
                        kept, found = to_analyse, {}
                    copies.update(found)
                    known[0] = True
                    for index in [i for i in held if i in copies]:
                        outcome = held.pop(index)
                        for other in copies.pop(index):
                            record(other, same_content(outcome), content=index)
                    held.clear()
                    started = {t[0] for t in first}
                    return [t for t in kept if t[0] not in started]

                pool.run(first, on_result, more=more if later else None)
    except KeyboardInterrupt:
        partial = True
    finally:
        if pool is not None:
            pool.close()  # (already closed when run() ended; here for an interruption before it)
        if cache is not None:
            cache.close()

    not_audited = [items[i].rel for i, r in enumerate(rows) if r is None]
    return AuditRun(walk=tree, rows=[r for r in rows if r is not None], started=started,
                    elapsed=time.monotonic() - t0, partial=partial or bool(not_audited), not_audited=not_audited,
                    jobs=options.effective_jobs(), options=options,
                    workers_replaced=pool.replaced if pool else 0,
                    cache_file=str(cache.path) if cache else None, peak_worker_rss_mb=max(peak, default=None),
                    worker_cpu_seconds=sum(cpu))


def first_of_each_size(tasks: list[tuple[int, str]], items: list[FileItem]) -> tuple[list, list]:
    """(the first file of each size, the others). The first ones are analysed whatever the
    others hold (a copy is only ever a copy of an earlier file: :func:`group_identical`)."""
    seen: set[int | None] = set()
    first, later = [], []
    for task in tasks:
        size = items[task[0]].size
        if size is None or size not in seen:
            seen.add(size)
            first.append(task)
        else:
            later.append(task)
    return first, later


def for_copy(result: Any, facts: Facts) -> Any:
    """The rules' result for a byte-identical copy, from its original's: the same findings and
    credit line (no rule reads the file name), under the copy's own path and facts."""
    import dataclasses

    return dataclasses.replace(result, path=facts.path, facts=facts,
                               context=dataclasses.replace(result.context, facts=facts), extra=dict(result.extra))


def same_content(outcome: FileOutcome) -> FileOutcome:
    """The analysed file's outcome for one of its byte-identical copies. The facts record is
    copied (each row sets its own path); what it holds is shared, which is safe because rules
    and renderers only read facts."""
    import dataclasses

    return FileOutcome(dataclasses.replace(outcome.facts), outcome.phash, outcome.thumb, 0.0,
                       reused=outcome.reused, transient=outcome.transient, same_content=True)
