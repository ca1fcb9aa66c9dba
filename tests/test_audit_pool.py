"""The worker pool: a hanging file is stopped at the time limit, a crashing reader costs one file,
and the workers are replaced so the rest of the audit goes on."""

from __future__ import annotations

import os
import signal
import threading
import time

from imagerights.audit.pool import WorkerPool
from imagerights.audit.worker import WorkerConfig
from test_audit_tree import jpeg_bytes, photo

CFG = WorkerConfig(registry=False, faces=False, logos=False)


def _files(tmp_path, n=3):
    paths = []
    for i in range(n):
        p = tmp_path / f"p{i}.jpg"
        p.write_bytes(jpeg_bytes(photo(i)))
        paths.append(str(p))
    return paths


def test_a_file_that_hangs_is_stopped_and_its_worker_replaced(tmp_path):
    fifo = tmp_path / "hangs.jpg"
    os.mkfifo(fifo)  # reading a FIFO with no writer blocks forever: a stand-in for a decoder that hangs
    files = _files(tmp_path)
    results = {}
    pool = WorkerPool(2, CFG, timeout=3)
    started = time.monotonic()
    pool.run([(0, str(fifo))] + [(i + 1, p) for i, p in enumerate(files)], lambda i, o: results.setdefault(i, o))
    elapsed = time.monotonic() - started
    assert sorted(results) == [0, 1, 2, 3]
    hung = results[0]
    assert hung.transient and [e.stage for e in hung.facts.errors] == ["timeout"]
    assert 3 <= hung.seconds < 10
    assert pool.replaced == 1
    for i in (1, 2, 3):
        assert not results[i].facts.errors and results[i].facts.sha256 and results[i].phash
    assert elapsed < 60


def test_a_crashing_reader_costs_one_file(tmp_path):
    """Also when the next file was already handed to that worker (IN_FLIGHT): it goes to the
    replacement and is analysed normally."""
    fifo = tmp_path / "crash.jpg"
    os.mkfifo(fifo)
    files = _files(tmp_path, 2)
    pool = WorkerPool(1, CFG, timeout=60)
    results = {}

    def crash_the_busy_worker():  # what a decoder segfault looks like from the outside
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [w for w in list(pool.workers) if w.task and w.task[0] == 0 and len(w.tasks) == 2]
            if busy and time.monotonic() - busy[0].started > 0.5:
                os.kill(busy[0].proc.pid, signal.SIGSEGV)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=crash_the_busy_worker)
    killer.start()
    pool.run([(0, str(fifo)), (1, files[0]), (2, files[1])], lambda i, o: results.setdefault(i, o))
    killer.join()
    assert sorted(results) == [0, 1, 2]
    err = results[0].facts.errors[0]
    assert err.stage == "decode" and "SIGSEGV" in err.reason
    assert results[0].transient
    assert pool.replaced == 1
    assert not results[1].facts.errors and not results[2].facts.errors
    assert not results[1].transient


def test_keyboard_interrupt_stops_the_pool_and_kills_workers(tmp_path):
    files = _files(tmp_path, 6)
    pool = WorkerPool(2, CFG, timeout=30)
    seen = []
    procs = []

    def on_result(i, o):
        seen.append(i)
        procs.extend(w.proc for w in pool.workers)
        raise KeyboardInterrupt

    try:
        pool.run(list(enumerate(files)), on_result)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("KeyboardInterrupt was swallowed")
    assert len(seen) == 1
    time.sleep(0.2)
    assert procs and not any(p.is_alive() for p in procs)


def test_more_tasks_arrive_while_the_first_ones_run(tmp_path):
    """``more()`` says "not yet" until it knows the rest of the work; the pool keeps asking, and
    every task, given or added, gets exactly one result."""
    files = _files(tmp_path, 4)
    asked = []

    def more():
        asked.append(time.monotonic())
        return None if len(asked) < 4 else [(2, files[2]), (3, files[3])]

    results = {}
    pool = WorkerPool(2, CFG, timeout=30)
    pool.run([(0, files[0]), (1, files[1])], lambda i, o: results.setdefault(i, []).append(o), more=more)
    assert sorted(results) == [0, 1, 2, 3] and all(len(v) == 1 for v in results.values())
    assert len(asked) == 4  # asked until it answered, then never again
    assert all(not v[0].facts.errors and v[0].facts.sha256 for v in results.values())
    assert len(pool.workers) == 0  # closed


def test_more_may_add_nothing(tmp_path):
    files = _files(tmp_path, 1)
    results = {}
    WorkerPool(2, CFG, timeout=30).run([(0, files[0])], lambda i, o: results.setdefault(i, o), more=lambda: [])
    assert sorted(results) == [0]


def test_more_adding_nothing_after_the_last_result_ends_the_run(tmp_path):
    """Regression: the copies were found only after every first file was done, and ``more()``
    then added nothing — the pool waited for a result that could never come."""
    files = _files(tmp_path, 2)
    results = {}

    def more():
        return None if len(results) < 2 else []  # "not yet" until both results are in

    pool = WorkerPool(2, CFG, timeout=30)
    runner = threading.Thread(target=pool.run, args=([(0, files[0]), (1, files[1])],
                                                      lambda i, o: results.setdefault(i, o)),
                              kwargs={"more": more}, daemon=True)
    runner.start()
    runner.join(60)
    hung = runner.is_alive()
    if hung:
        pool.close()
    assert not hung, "the pool kept waiting after more() added nothing"
    assert sorted(results) == [0, 1]


def test_an_audit_starts_no_resource_tracker_process(tmp_path):
    """The pool shares only pipes, so multiprocessing's resource tracker (a third interpreter,
    ~70 ms of CPU) is not started: an audit's processes are the command, the fork server and
    the workers."""
    import subprocess
    import sys

    for i in range(3):
        (tmp_path / f"p{i}.jpg").write_bytes(jpeg_bytes(photo(i)))
    code = (
        "import sys\n"
        "from multiprocessing import resource_tracker\n"
        "from imagerights.audit.runner import AuditOptions, run_audit\n"
        "if __name__ == '__main__':\n"
        f"    run = run_audit([{str(tmp_path)!r}], AuditOptions(jobs=2, fast=True, registry=False), lambda f: None)\n"
        "    assert len(run.rows) == 3 and {r.status for r in run.rows} == {'analysed'}, run.rows\n"
        "    assert resource_tracker._resource_tracker._pid is None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_file_queued_behind_a_hanging_one_is_still_analysed(tmp_path):
    """A worker gets its next file before it finishes the current one (IN_FLIGHT): when the
    current one hangs, the worker is killed and the queued file goes to its replacement, with a
    time limit of its own."""
    from imagerights.audit.pool import IN_FLIGHT

    assert IN_FLIGHT >= 2
    fifo = tmp_path / "hangs.jpg"
    os.mkfifo(fifo)
    files = _files(tmp_path, 2)
    results, order = {}, []
    pool = WorkerPool(1, CFG, timeout=3)
    pool.run([(0, str(fifo)), (1, files[0]), (2, files[1])],
             lambda i, o: (results.setdefault(i, o), order.append(i)))
    assert order == [0, 1, 2]
    assert [e.stage for e in results[0].facts.errors] == ["timeout"] and results[0].transient
    for i in (1, 2):
        assert not results[i].facts.errors and results[i].facts.sha256 and not results[i].transient
        assert results[i].seconds < 3  # its clock started when it started, not when it was queued
    assert pool.replaced == 1

