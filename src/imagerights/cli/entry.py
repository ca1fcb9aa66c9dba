"""The ``imagerights`` program's entry point (console script and ``python -m imagerights``).

For ``imagerights audit`` it does two things around the command line interface:

* before loading it, it starts the workers' fork server (a few ms, in this thread: a background
  thread would wait for the interpreter lock while the CLI imports), so that the workers' imports
  (~0.35 s) run beside the CLI's own instead of after them (the audit command then finds the
  server running);
* after the command has finished (its report written, its files closed, the exit handlers run),
  the process ends without tearing down every object it built: freeing an audit's rows, facts,
  findings and licence catalogue one by one took ~90 ms of the x4 bench folder's ~1.1 s, for
  memory the operating system reclaims at once (:func:`exit_without_teardown`).
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv
    if len(argv) > 1 and argv[1] == "audit" and not {"-h", "--help"} & set(argv[2:]):
        from imagerights.audit.forkserver import start

        start(heavy="--fast" not in argv[2:])
        from imagerights.cli.main import main as cli_main

        exit_without_teardown(cli_main)
    from imagerights.cli.main import main as cli_main

    cli_main()


def exit_without_teardown(run) -> None:
    """Call ``run()``; when it exits normally (``sys.exit(int)``), do what the interpreter's exit
    does that matters — wait for running threads, run the exit handlers (temporary folders,
    the fork server's socket), flush standard output and error — and end the process at once.
    Anything else (an exception, a non-numeric exit, threads still running) takes the normal
    exit, so nothing is cut short."""
    import atexit
    import os
    import threading

    try:
        run()
        code = 0
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        code = exc.code or 0
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.current_thread()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            if code == 0:
                code = 1  # output that could not be written (a closed pipe) is a failure, as usual
    os._exit(code)
