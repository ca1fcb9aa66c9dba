"""The fork server the audit's workers are forked from: its start method and its preload list.

A module of its own, importing nothing but the standard library, so that ``imagerights audit``
can start the server first thing (``cli/entry.py``), before it imports anything else: the server
spends ~0.35 s importing the readers, and that should run beside the command's own start-up.
"""

from __future__ import annotations

import multiprocessing as mp
import os


def context(heavy: bool = True):
    """Fork-server context; ``heavy`` also preloads faces/logos/registry (not needed by ``--fast``).
    The preload list only matters for the first start of the (per-process) fork server."""
    # One OpenMP thread per worker (the face detector's library reads this once, when the fork
    # server imports it): the pool already keeps every core busy, and two workers each running
    # two threads on two cores cost 108 instead of 71 ms CPU per face search (measured).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    without_resource_tracker()
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        modules = ["imagerights.audit.server_setup", "imagerights.audit.preload"] + \
            (["imagerights.audit.preload_readers"] if heavy else [])
        ctx.set_forkserver_preload(modules)
        return ctx
    return mp.get_context("spawn")


def start(heavy: bool = True) -> None:
    """Start the fork server now (a few ms: it loads its readers in its own process)."""
    try:
        if "forkserver" in mp.get_all_start_methods():
            context(heavy)
            from multiprocessing import forkserver

            forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - the pool starts it later anyway
        pass


def without_resource_tracker() -> None:
    """Spare the audit multiprocessing's resource tracker: a third Python interpreter (~70 ms of
    CPU, started before the fork server) that removes named semaphores and shared memory left
    behind by crashed processes. The audit's pool shares neither, only pipes (and the worker
    processes create none), so there is nothing to track; the tracker's pipe is pointed at
    ``/dev/null`` instead. Where the standard library's internals differ (another Python
    version), the tracker simply starts as usual."""
    try:
        from multiprocessing import resource_tracker

        tracker = resource_tracker._resource_tracker
        with tracker._lock:
            if tracker._fd is None and getattr(tracker, "_pid", None) is None:
                tracker._fd = os.open(os.devnull, os.O_WRONLY)
    except Exception:  # noqa: BLE001
        pass
