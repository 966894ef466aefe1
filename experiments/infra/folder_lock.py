"""One command at a time on an output folder: an advisory lock (flock) on ``FOLDER/.lock``.

The kernel releases the lock when its holder exits, however it exits (kill -9 included), so a
lock is never left stale; the file itself stays and says who held it last.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from pathlib import Path

from experiments.infra import provenance
from experiments.infra.errors import UsageError
from experiments.infra.files import shown

LOCK_NAME = ".lock"


class FolderLock:
    """Hold ``folder``'s lock for a ``with`` block (the folder is created if needed); UsageError naming
    the holder if another process has it. ``created`` tells whether this lock made the folder."""

    def __init__(self, folder: Path, what: str) -> None:
        self.folder = Path(folder)
        self.what = what
        self.created: list[Path] = []
        self.made_file = False
        self.fd: int | None = None

    def __enter__(self) -> FolderLock:
        for parent in reversed((self.folder, *self.folder.parents)):
            if not parent.exists():
                try:
                    os.mkdir(parent)
                    self.created.append(parent)
                except FileExistsError:  # made at this moment by another process
                    pass
        path = self.folder / LOCK_NAME
        self.made_file = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 500).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            self._remove_created()
            raise UsageError(f"{shown(self.folder)} is in use by {holder}; wait for it to finish, "
                             f"or give another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"run.py {self.what} (pid {os.getpid()} on {socket.gethostname()}, since "
                     f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}: {provenance.command_line()})\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def discard(self) -> None:
        """Undo the lock's traces when nothing else was written: the lock file and the folders it created."""
        if self.made_file and [p.name for p in self.folder.iterdir()] == [LOCK_NAME]:
            (self.folder / LOCK_NAME).unlink(missing_ok=True)
            self._remove_created()

    def _remove_created(self) -> None:
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                break
        self.created = []

