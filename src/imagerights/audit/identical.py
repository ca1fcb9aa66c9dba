"""Which files of an audit hold the same bytes, so that each content is analysed once.

Media folders hold many exact copies (the same photo under "final", "web" and "export"). Only
files of the same size can be copies; of those, only files whose first 64 KiB agree are read in
full, and they are compared byte for byte with one file of their group, all read in step, each
once, in 64 KiB pieces from one thread (the x4 bench folder, 260 MB: ~0.14 s of CPU; 256 KiB pieces
read by four threads cost ~0.33 s, most of it the kernel's copying: pieces that fit the CPU's cache,
and no threads contending for the page cache, halve it). The analysed file's SHA-256 is computed by
its worker anyway, and its copies share it.

This is only a shortcut: a copy it misses (an unreadable file, a group of more than
:data:`MAX_CLASSES` different contents of one size and head) is simply analysed on its own, and
the duplicate groups of the summary are built from every file's own SHA-256 either way.
"""

from __future__ import annotations

from imagerights.sources.walk import FileItem

HEAD = 64 * 1024
CHUNK = 64 * 1024
MAX_CLASSES = 8  # distinct contents compared per (size, head) group before giving up on it
OPEN_AT_ONCE = 32  # files read in step

Task = tuple[int, str]  # (index into the walk's files, path)


def group_identical(tasks: list[Task], items: list[FileItem]) -> tuple[list[Task], dict[int, list[int]]]:
    """(tasks to analyse, analysed index → indices of its byte-identical copies)."""
    by_size: dict[int, list[Task]] = {}
    for task in tasks:
        size = items[task[0]].size
        if size is not None:
            by_size.setdefault(size, []).append(task)
    groups = [group for group in by_size.values() if len(group) > 1]
    if not groups:
        return tasks, {}
    classes = [c for group in groups for c in _classes(group)]
    copies: dict[int, list[int]] = {}
    dropped: set[int] = set()
    for cls in classes:
        if len(cls) > 1:
            first, *others = sorted(i for i, _ in cls)
            copies[first] = others
            dropped.update(others)
    return [t for t in tasks if t[0] not in dropped], copies


def _classes(group: list[Task]) -> list[list[Task]]:
    """The same-size ``group`` split into classes of identical content (unreadable files alone)."""
    by_head: dict[bytes, list[Task]] = {}
    alone: list[list[Task]] = []
    for task in group:
        head = _head(task[1])
        if head is None:
            alone.append([task])
        else:
            by_head.setdefault(head, []).append(task)
    out = alone
    for members in by_head.values():
        out.extend(_partition(members))
    return out


def _partition(members: list[Task]) -> list[list[Task]]:
    """Classes of identical content among files of one size and head. Each round reads the
    first remaining file together with all the others, chunk by chunk, so a group of copies is
    read once (re-reading the first file for every copy cost as much as hashing them all)."""
    classes: list[list[Task]] = []
    rest = members
    while rest:
        if len(classes) >= MAX_CLASSES:  # many different files alike in size and head: stop here
            classes.extend([t] for t in rest)
            break
        first, *others = rest
        same, rest = [], []
        for start in range(0, len(others), OPEN_AT_ONCE):
            batch = others[start:start + OPEN_AT_ONCE]
            equal = equal_to_first(first[1], [t[1] for t in batch])
            same += [t for t, eq in zip(batch, equal) if eq]
            rest += [t for t, eq in zip(batch, equal) if not eq]
        classes.append([first, *same])
    return classes


def _head(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:  # read-only
            return fh.read(HEAD)
    except OSError:
        return None


def equal_to_first(first: str, others: list[str]) -> list[bool]:
    """For each of ``others``: does it hold the same bytes as ``first``? Every file is read once,
    all in step, into reused buffers (a fresh bytes object per read costs more than comparing).
    A file that cannot be read to the end is not equal."""
    result = [False] * len(others)
    try:
        fa = open(first, "rb", buffering=0)  # read-only
    except OSError:
        return result
    files: dict[int, object] = {}
    try:
        for i, path in enumerate(others):
            try:
                files[i] = open(path, "rb", buffering=0)  # read-only
            except OSError:
                pass
        ref, buf = bytearray(CHUNK), bytearray(CHUNK)
        while files:
            n = _fill(fa, ref)
            for i, fh in list(files.items()):
                if _fill(fh, buf) != n or (buf != ref if n == CHUNK else buf[:n] != ref[:n]):
                    fh.close()
                    del files[i]
                elif n < CHUNK:  # both ended here, equal to the end
                    result[i] = True
                    fh.close()
                    del files[i]
    except OSError:
        pass
    finally:
        fa.close()
        for fh in files.values():
            fh.close()
    return result


def _fill(fh, buf: bytearray) -> int:
    """Read until ``buf`` is full or the file ends; the number of bytes read."""
    view, got = memoryview(buf), 0
    while got < len(buf):
        n = fh.readinto(view[got:])
        if not n:
            break
        got += n
    return got
