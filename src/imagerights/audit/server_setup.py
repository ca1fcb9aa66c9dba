"""Imported first by the audit's fork server, and by nothing else (see :mod:`.forkserver`).

The fork server is a process of its own that outlives the command by a moment: it notices the
command's exit, then ends. Two things keep that moment from costing the caller anything:

* it does not hold the command's standard output and error open: a caller that reads them (a
  script, CI, ``subprocess.run(capture_output=True)``) would otherwise wait for the server's exit
  to see them end, ~0.1-0.2 s after the command itself has finished;
* it ends without tearing its modules down (``os._exit`` at exit): nothing in it needs cleaning
  up (the workers are gone, its socket belongs to the command), and freeing numpy and Pillow
  only costs CPU that the next command may want.

``IMAGERIGHTS_DEBUG=1`` keeps its output, as it keeps the workers'.
"""

from __future__ import annotations

import atexit
import os

from imagerights.audit.worker import to_devnull


def _quiet_exit() -> None:
    os._exit(0)


to_devnull(1, 2)
atexit.register(_quiet_exit)
