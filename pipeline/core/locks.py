"""Lock files that leave nothing behind.

A lock is an flock on a file that names its holder: the kernel drops it when the holder dies, so a
killed run never blocks the next one. The holder removes the file when it lets go; a file still
naming a holder when the next process takes it was left by a run that was killed, which the next
process says.
"""

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class LockBusy(Exception):
    """Another live process holds the lock; the message names it."""


def _acquire(path: Path, blocking: bool) -> IO[str] | None:
    """The open, locked file at `path`, or None when another process holds it (not blocking).

    The holder removes the file when it lets go, so a lock taken on a file that is no longer at
    `path` guards nothing: try again on the new one."""
    while True:
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            return None
        try:
            if os.fstat(handle.fileno()).st_ino == path.stat().st_ino:
                return handle
        except FileNotFoundError:
            pass
        handle.close()


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


@contextmanager
def file_lock(path: Path, holder: str, on_wait: Callable[[str], None] | None = None,
              on_stale: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold `path` for the block, naming `holder` in it.

    Held by another process: with `on_wait`, say what holds it and wait; without, raise LockBusy at
    once. Left by a holder that died: `on_stale` hears who that was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(path, blocking=False)
    if handle is None:
        if on_wait is None:
            raise LockBusy(_holder(path) or "another process")
        on_wait(_holder(path) or "another run")
        handle = _acquire(path, blocking=True)
    assert handle is not None
    try:
        handle.seek(0)
        left = handle.read().strip()
        if left and on_stale is not None:
            on_stale(left)
        handle.seek(0)
        handle.truncate()
        handle.write(holder)
        handle.flush()
        yield
    finally:
        path.unlink(missing_ok=True)  # before the lock goes, so the next holder makes a fresh file
        handle.close()
