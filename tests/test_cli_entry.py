"""The program's entry point: ``imagerights audit`` ends without tearing its objects down, and
loses nothing by it (exit code, output, exit handlers)."""

from __future__ import annotations

import json
import subprocess
import sys

from PIL import Image


def run_py(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


SNIPPET = """
import atexit, sys, threading, time
from imagerights.cli.entry import exit_without_teardown
atexit.register(lambda: print("exit handler ran", flush=False))
def run():
    print("report", end="")  # left in the buffer: must still be flushed
    kind = sys.argv[1]
    if kind == "thread":
        threading.Thread(target=lambda: (time.sleep(0.5), print(" thread done", end=""))).start()
    if kind == "text":
        sys.exit("a message")
    if kind == "crash":
        raise RuntimeError("boom")
    sys.exit(int(kind) if kind.isdigit() else 0)
if __name__ == "__main__":
    exit_without_teardown(run)
"""


def test_exit_code_output_and_exit_handlers_are_kept():
    for code in ("0", "1", "2"):
        done = run_py(SNIPPET, code)
        assert done.returncode == int(code)
        assert done.stdout == "reportexit handler ran\n"


def test_anything_unusual_takes_the_normal_exit():
    done = run_py(SNIPPET, "text")  # sys.exit("message"): printed, exit 1, as Python does it
    assert done.returncode == 1 and "a message" in done.stderr and "exit handler ran" in done.stdout
    done = run_py(SNIPPET, "crash")
    assert done.returncode == 1 and "RuntimeError: boom" in done.stderr
    done = run_py(SNIPPET, "thread")  # a thread still working is waited for
    assert done.returncode == 0 and "thread done" in done.stdout and "exit handler ran" in done.stdout


def test_audit_through_the_entry_point_writes_everything_and_exits_with_its_code(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    for i in range(3):
        Image.new("RGB", (64, 48), (40 * i, 90, 160)).save(media / f"p{i}.jpg", quality=90)
    (media / "p0-copy.jpg").write_bytes((media / "p0.jpg").read_bytes())
    done = subprocess.run([sys.executable, "-m", "imagerights", "audit", str(media), "--fast", "-q",
                           "--format", "json", "--fail-on", "warning"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # nobody is named as creator: a warning
    report = json.loads(done.stdout)
    assert len(report["results"]) == 4 and report["summary"]["run"]["statuses"]["same-content"] == 1
    done = subprocess.run([sys.executable, "-m", "imagerights", "audit", str(media), "--fast", "-q",
                           "--format", "json", "--fail-on", "never"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and len(json.loads(done.stdout)["results"]) == 4


def test_the_fork_server_does_not_hold_the_commands_output_open(tmp_path):
    """A caller reading the command's output sees it end when the command ends, not when the
    fork server (which outlives it by a moment) does: the server's stdout/stderr are /dev/null."""
    Image.new("RGB", (64, 48), (10, 90, 160)).save(tmp_path / "a.jpg", quality=90)
    code = (
        "import os\n"
        "from multiprocessing import forkserver\n"
        "from imagerights.audit.runner import AuditOptions, run_audit\n"
        "def where(done, total, rel):\n"
        "    pid = forkserver._forkserver._forkserver_pid\n"
        "    print(os.readlink(f'/proc/{pid}/fd/1'), os.readlink(f'/proc/{pid}/fd/2'))\n"
        "if __name__ == '__main__':\n"
        f"    run_audit([{str(tmp_path)!r}], AuditOptions(jobs=1, fast=True, registry=False, faces=False,\n"
        "              logos=False), lambda f: None, progress=where)\n"
    )
    done = run_py(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["/dev/null", "/dev/null"]
