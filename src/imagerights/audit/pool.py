"""A small process pool that can kill one worker: per-file time limits and crash containment.

``concurrent.futures`` cannot stop one task that hangs (killing a worker breaks the whole pool),
so this pool keeps one pipe per worker, and a worker's next file waits in its pipe while it
reads the current one (:data:`IN_FLIGHT`), so it never idles while the main process is busy:

* a file that runs past ``timeout`` seconds: its worker is killed (SIGKILL) and replaced, the file
  gets a ``timeout`` error (rule FIL003);
* a worker that dies (a decoder segfault, the kernel's OOM killer): the file gets a ``decode``
  error (FIL001) naming the signal, and the worker is replaced;
* memory stays bounded: a worker reads one file at a time (the next is only a path in its pipe),
  and each worker caps its own memory.

Workers start from a fork server (spawn where there is none), never by forking the main process,
which holds open databases and a progress-bar thread.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable

from imagerights.audit.forkserver import context as forkserver_context
from imagerights.audit.worker import FileOutcome, WorkerConfig, worker_main
from imagerights.facts import Facts, FileError

START_TIMEOUT = 120.0  # seconds a new worker may take to load its readers
MORE_POLL = 0.005  # seconds between asking ``more()`` for further tasks
# Files handed to a worker at once: the one it reads and the next. The next one's clock starts when
# the worker sends the previous result. (One at a time, the workers of a --fast audit waited ~15 %
# of the time for the main process to receive a result and send the next path.)
IN_FLIGHT = 2


class PoolError(Exception):
    """The workers could not start (e.g. a reader fails to load): nothing can be analysed."""


@dataclass
class _Worker:
    proc: Any
    conn: Any
    ready: bool = False
    tasks: list[tuple[int, str]] = field(default_factory=list)  # handed out, in order; the first is being read
    started: float = 0.0  # when the first of ``tasks`` started
    born: float = field(default_factory=time.monotonic)

    @property
    def task(self) -> tuple[int, str] | None:
        """The file being read now, if any."""
        return self.tasks[0] if self.tasks else None


class WorkerPool:
    """``run(tasks, on_result)``: every task gets exactly one ``on_result(index, outcome)`` call."""

    def __init__(self, jobs: int, cfg: WorkerConfig, timeout: float | None = 30.0):
        self.jobs = max(1, int(jobs))
        self.cfg = cfg
        self.timeout = timeout if timeout and timeout > 0 else None
        self.ctx = forkserver_context(not cfg.fast)
        self.workers: list[_Worker] = []
        self.replaced = 0

    # -- worker lifecycle ----------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=worker_main, args=(child, self.cfg), daemon=True,
                                name="imagerights-audit-worker")
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _kill(self, w: _Worker) -> None:
        try:
            if w.proc.is_alive():
                w.proc.kill()
            w.proc.join(5)
        except Exception:  # noqa: BLE001
            pass
        try:
            w.conn.close()
        except Exception:  # noqa: BLE001
            pass

    def _replace(self, w: _Worker, pending: list) -> None:
        """A new worker in ``w``'s place; the files ``w`` had not started go back to ``pending``."""
        pending.extend(reversed(w.tasks))
        w.tasks = []
        self._kill(w)
        self.workers[self.workers.index(w)] = self._spawn()
        self.replaced += 1

    def close(self) -> None:
        """Idle workers are asked to exit; busy or still-starting ones are killed (nothing to lose)."""
        polite = []
        for w in self.workers:
            try:
                if w.proc.is_alive() and not w.tasks and w.ready:
                    w.conn.send(None)
                    polite.append(w)
            except Exception:  # noqa: BLE001
                pass
        deadline = time.monotonic() + 2
        for w in self.workers:
            if w in polite:
                w.proc.join(max(0.0, deadline - time.monotonic()))
            self._kill(w)
        self.workers = []

    # -- the loop --------------------------------------------------------------------------------
    def run(self, tasks: Iterable[tuple[int, str]], on_result: Callable[[int, FileOutcome], None],
            more: Callable[[], list | None] | None = None) -> None:
        """Process every task; Ctrl-C (KeyboardInterrupt) propagates after the workers are killed.

        ``more()``, if given, is asked for further tasks once the given ones are handed out; it
        returns None while it does not know them yet (it is asked again a few ms later), then a
        list (possibly empty), once."""
        pending = list(tasks)
        pending.reverse()  # pop() from the end keeps the given order
        try:
            if not pending and more is None:
                return
            self.start(len(pending) if more is None else self.jobs)
            self._loop(pending, on_result, more)
        finally:
            self.close()

    def start(self, tasks: int) -> None:
        """Start the workers for ``tasks`` files now (they load their readers while the caller
        prepares the work); ``run`` starts them if this was not called."""
        if not self.workers:
            self.workers = [self._spawn() for _ in range(min(self.jobs, tasks))]

    def _assign(self, w: _Worker, pending: list) -> None:
        while pending and w.ready and len(w.tasks) < IN_FLIGHT:
            task = pending.pop()
            if not w.tasks:
                w.started = time.monotonic()
            w.tasks.append(task)
            w.conn.send(task)

    def _fail(self, w: _Worker, stage: str, reason: str, on_result) -> None:
        """The file ``w`` was reading gets ``reason``; its next file is not started (see _replace)."""
        index, path = w.tasks.pop(0)
        on_result(index, FileOutcome(Facts(path=path, errors=[FileError(stage, reason)]),
                                     seconds=time.monotonic() - w.started, transient=True))

    def _loop(self, pending: list, on_result, more=None) -> None:
        init_errors: list[str] = []
        while True:
            if more is not None and not pending:
                extra = more()
                if extra is not None:
                    pending.extend(reversed(extra))
                    more = None
            # checked after more(): once it has added nothing, there may be nothing left to wait for
            if not (pending or more is not None or any(w.tasks for w in self.workers)):
                break
            for w in self.workers:
                self._assign(w, pending)
            now = time.monotonic()
            deadlines = [w.started + self.timeout for w in self.workers if w.task and self.timeout]
            deadlines += [w.born + START_TIMEOUT for w in self.workers if not w.ready]
            if more is not None and not pending:
                deadlines.append(now + MORE_POLL)
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            ready = wait([w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers], wait_for)
            results = []
            for w in list(self.workers):
                if w.conn in ready or w.proc.sentinel in ready:
                    self._receive(w, lambda i, o: results.append((i, o)), init_errors, pending)
            # hand out the next files before the caller's work on these results (rules, cache),
            # so no worker waits idle while the main process evaluates
            for w in self.workers:
                self._assign(w, pending)
            for index, outcome in results:
                on_result(index, outcome)
            now = time.monotonic()
            for w in list(self.workers):
                if w.tasks and self.timeout and now - w.started > self.timeout:
                    self._fail(w, "timeout", f"no result after {self.timeout:g} s; the reader was stopped", on_result)
                    self._replace(w, pending)
                elif not w.ready and now - w.born > START_TIMEOUT:
                    init_errors.append(f"a worker did not start within {START_TIMEOUT:g} s")
                    self._replace(w, pending)
            if len(init_errors) >= 2 * self.jobs and not any(w.ready for w in self.workers):
                raise PoolError("the audit workers could not start: " + "; ".join(dict.fromkeys(init_errors)))

    def _receive(self, w: _Worker, on_result, init_errors: list[str], pending: list) -> None:
        try:
            if not w.conn.poll():
                raise EOFError
            msg = w.conn.recv()
        except (EOFError, OSError, ConnectionError):
            w.proc.join(1)
            code = w.proc.exitcode
            if w.tasks:
                if code is not None and code < 0:
                    try:
                        name = signal.Signals(-code).name
                    except ValueError:
                        name = f"signal {-code}"
                    why = f"the reader crashed on this file ({name})"
                else:
                    why = f"the reader process ended unexpectedly (exit code {code})"
                self._fail(w, "decode", why, on_result)
            elif not w.ready:
                init_errors.append(f"a worker exited while starting (exit code {code})")
            self._replace(w, pending)
            return
        except Exception as exc:  # noqa: BLE001 - an unpicklable reply: that file's error
            if w.tasks:
                self._fail(w, "decode", f"the reader's result could not be read: {exc}", on_result)
            self._replace(w, pending)
            return
        kind = msg[0]
        if kind == "ready":
            w.ready = True
        elif kind == "init-error":
            init_errors.append(msg[1])
            self._replace(w, pending)
        elif kind == "ok":
            _, index, outcome = msg
            if w.tasks and w.tasks[0][0] == index:
                w.tasks.pop(0)
                w.started = time.monotonic()  # the worker went straight on to the next one
            on_result(index, outcome)
