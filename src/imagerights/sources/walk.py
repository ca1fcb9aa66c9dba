"""Walk a folder tree and list the files an audit must look at — reading nothing but their first bytes.

Guarantees (issue #4, part 1):

* **Content decides**: every regular file is sniffed (:mod:`imagerights.sources.sniff`); an image is
  audited whatever its name, and a file *named* like an image is audited even when it is not one
  (the report then says it could not be read as an image).
* **Nothing is fatal**: an unreadable folder, a broken link, a symbolic-link loop or a FIFO becomes a
  :class:`Skipped` entry (or a :class:`FileItem` with a ``problem`` when it claims to be an image);
  the walk goes on.
* **Nothing is created or changed**: files are opened read-only and non-blocking (a FIFO never hangs
  the walk) and only :data:`~imagerights.sources.sniff.SNIFF_BYTES` bytes are read.
* **Stable order**: siblings are visited in code-point order of their names, depth first, so two runs
  over the same tree list the same files in the same order.
* Hidden files and folders (dot-names, the Windows hidden/system attributes) and the litter of file
  managers and NAS boxes (``Thumbs.db``, ``@eaDir``, ``__MACOSX`` …) are skipped and counted.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from imagerights.sources.sniff import SNIFF_BYTES, named_like_image, sniff_bytes

# Names that file managers, operating systems and NAS boxes leave behind (compared case-insensitively).
SYSTEM_NAMES = frozenset(n.lower() for n in (
    "Thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "Icon\r", "$RECYCLE.BIN",
    "System Volume Information", "@eaDir", "#recycle", "#snapshot", "__MACOSX", "lost+found",
    "RECYCLER", "$Recycle.Bin",
))
_WIN_HIDDEN = 0x2 | 0x4  # FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM


@dataclass(frozen=True)
class FileItem:
    """One file to audit. ``problem`` is set when it cannot be read at all (it still gets a row)."""

    path: Path  # the path as walked (through symbolic links, not resolved)
    rel: str  # POSIX path relative to the audit's base folder: the name in every report
    size: int | None = None
    mtime_ns: int | None = None
    kind: str | None = None  # sniffed image format, None when the content is not a known image
    problem: str | None = None


@dataclass(frozen=True)
class Skipped:
    """Something the walk did not audit, and why (shown in the report, never silently dropped)."""

    rel: str
    reason: str  # symlink-loop, already-walked, broken-link, unreadable-folder, special-file, not-an-image, missing
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"path": self.rel, "reason": self.reason, "detail": self.detail}


@dataclass
class Walk:
    base: Path
    files: list[FileItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    hidden: int = 0
    excluded: int = 0


def is_hidden(entry: os.DirEntry) -> bool:
    name = entry.name
    if name.startswith(".") or name.lower() in SYSTEM_NAMES:
        return True
    attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attrs & _WIN_HIDDEN)


def excluded(rel: str, name: str, patterns: Iterable[str]) -> bool:
    """``--exclude`` globs: a pattern with a ``/`` matches the relative path (``*`` crosses folders),
    one without matches any single file or folder name (``*.tmp``, ``old``)."""
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            if fnmatch.fnmatchcase(rel, pattern.lstrip("/")) or fnmatch.fnmatchcase(rel, pattern.lstrip("/") + "/*"):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False


def read_head(path: str | os.PathLike) -> bytes:
    """The first bytes of a regular file, opened read-only and non-blocking (a FIFO can't hang us)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.read(fd, SNIFF_BYTES)
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


class _Walker:
    def __init__(self, base: Path, exclude: tuple[str, ...], all_files: bool,
                 progress: Callable[[int], None] | None):
        self.out = Walk(base=base)
        self.exclude = exclude
        self.all_files = all_files
        self.progress = progress
        self.visited: dict[tuple[int, int], str] = {}

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.out.base).as_posix()
        except ValueError:
            return path.as_posix()

    def add_file(self, path: Path, rel: str, st: os.stat_result, force: bool = False) -> None:
        """``force``: the user named this file explicitly, so it gets a row whatever it holds."""
        name = path.name
        if not stat.S_ISREG(st.st_mode):
            what = _special_kind(st.st_mode)
            if force or named_like_image(name):
                self.out.files.append(FileItem(path, rel, None, st.st_mtime_ns, None,
                                               f"{what}, not a regular file: not read"))
            else:
                self.out.skipped.append(Skipped(rel, "special-file", what))
            return
        try:
            head = read_head(path)
        except OSError as exc:  # unreadable: a row with a finding, whatever the name says
            self.out.files.append(FileItem(path, rel, st.st_size, st.st_mtime_ns, None,
                                           f"cannot be read: {_reason(exc)}"))
            return
        kind = sniff_bytes(head)
        if kind or force or self.all_files or named_like_image(name):
            self.out.files.append(FileItem(path, rel, st.st_size, st.st_mtime_ns, kind))
        else:
            self.out.skipped.append(Skipped(rel, "not-an-image", ""))
        if self.progress:
            self.progress(len(self.out.files))

    def walk_dir(self, top: Path, st: os.stat_result) -> None:
        """Depth-first, siblings in code-point order; an explicit stack instead of recursion."""
        key = (st.st_dev, st.st_ino)
        self.visited[key] = self.rel(top)
        stack: list[tuple[Iterator[os.DirEntry], frozenset]] = []
        ancestors = frozenset({key})
        entries = self.list_dir(top)
        if entries is None:
            return
        stack.append((iter(entries), ancestors))
        while stack:
            it, ancestors = stack[-1]
            entry = next(it, None)
            if entry is None:
                stack.pop()
                continue
            path = Path(entry.path)
            rel = self.rel(path)
            try:
                if is_hidden(entry):
                    self.out.hidden += 1
                    continue
            except OSError:
                pass
            if excluded(rel, entry.name, self.exclude):
                self.out.excluded += 1
                continue
            try:
                est = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if entry.is_symlink():
                    loop = exc.errno == errno.ELOOP
                    self.out.skipped.append(Skipped(rel, "symlink-loop" if loop else "broken-link",
                                                    f"{_reason(exc)} → {os.readlink(path)}"))
                else:
                    self.out.skipped.append(Skipped(rel, "missing", _reason(exc)))
                continue
            if stat.S_ISDIR(est.st_mode):
                dkey = (est.st_dev, est.st_ino)
                if dkey in ancestors:
                    self.out.skipped.append(Skipped(rel, "symlink-loop",
                                                    f"leads back to the folder {self.visited.get(dkey, '.') or '.'}"))
                    continue
                if dkey in self.visited:
                    self.out.skipped.append(Skipped(rel, "already-walked", f"same folder as {self.visited[dkey]}"))
                    continue
                self.visited[dkey] = rel
                sub = self.list_dir(path, rel)
                if sub is not None:
                    stack.append((iter(sub), ancestors | {dkey}))
            else:
                self.add_file(path, rel, est)

    def list_dir(self, path: Path, rel: str | None = None) -> list[os.DirEntry] | None:
        try:
            with os.scandir(path) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.out.skipped.append(Skipped(rel if rel is not None else self.rel(path), "unreadable-folder",
                                            _reason(exc)))
            return None


def common_base(paths: list[Path]) -> Path:
    """The folder reports are relative to: the folder itself when one folder is audited,
    else the current directory when every path lies under it, else their common parent."""
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0]
    cwd = Path.cwd()
    absolute = [p if p.is_absolute() else cwd / p for p in paths]
    if all(_under(p, cwd) for p in absolute):
        return cwd
    return Path(os.path.commonpath([str(p.parent) for p in absolute]))


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def walk(paths: list[str | os.PathLike] | str | os.PathLike, *, exclude: Iterable[str] = (),
         all_files: bool = False, progress: Callable[[int], None] | None = None) -> Walk:
    """List the files to audit under ``paths`` (folders and/or single files).

    ``all_files`` audits every regular file, not only those that are (or are named like) images.
    ``progress(n)`` is called as files are found (for a "scanning…" indicator).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    cwd = Path.cwd()
    given = [Path(os.path.abspath(cwd / Path(p))) for p in paths]
    base = common_base(given)
    walker = _Walker(base, tuple(exclude), all_files, progress)
    for path in given:
        try:
            st = path.stat()
        except OSError as exc:
            walker.out.skipped.append(Skipped(walker.rel(path), "missing", _reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            walker.walk_dir(path, st)
        else:
            walker.add_file(path, walker.rel(path), st, force=True)
    return walker.out
