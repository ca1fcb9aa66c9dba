"""The ``imagerights`` program's entry point (console script and ``python -m imagerights``).

It only does one thing before loading the command line interface: for ``imagerights audit`` it
starts the workers' fork server (a few ms, in this thread: a background thread would wait for the
interpreter lock while the CLI imports), so that the workers' imports (~0.35 s) run beside the
CLI's own instead of after them (the audit command then finds the server running).
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv
    if len(argv) > 1 and argv[1] == "audit" and not {"-h", "--help"} & set(argv[2:]):
        from imagerights.audit.forkserver import start

        start(heavy="--fast" not in argv[2:])
    from imagerights.cli.main import main as cli_main

    cli_main()
