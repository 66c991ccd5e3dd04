"""Files that survive a kill: atomic whole-file writes and JSONL rows with a torn-tail rule.

Shared by the run layer (unit files, manifest, merge) and the feature exporters. A write that
fails for lack of space (``ENOSPC``, ``EDQUOT``) or on a read-only file system (``EROFS``)
raises ``DiskFullError``, one line naming the file and what to do; no temporary file is left.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

import orjson


class MergeError(ValueError):
    """Run output that cannot be read, merged or exported, naming the file."""


DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
# libraries that raise a plain OSError without an errno (pyarrow) still say which in the message
_DISK_FULL_TEXT = re.compile(r"no space left on device|disk quota exceeded|read-only file system|errno (28|122|30)\b",
                             re.IGNORECASE)  # fmt: skip


class DiskFullError(OSError):
    """A write failed for lack of space or quota, or on a read-only file system.

    ``filename`` is the file being written; ``str()`` is one line saying what to do. What was
    written before stays, so a rerun resumes where the run stopped.
    """

    @classmethod
    def of(cls, exc: OSError, path: str | Path) -> DiskFullError:
        code = exc.errno if exc.errno in DISK_FULL_ERRNOS else errno.ENOSPC
        if exc.errno not in DISK_FULL_ERRNOS and "read-only" in str(exc).lower():
            code = errno.EROFS
        return cls(code, os.strerror(code), str(path))

    def __str__(self) -> str:
        if self.errno == errno.EROFS:
            return (f"cannot write {self.filename}: read-only file system; make it writable or point --out "
                    f"elsewhere; rerun resumes where it stopped")  # fmt: skip
        return (f"cannot write {self.filename}: {self.strerror}; free space or point --out elsewhere; "
                f"rerun resumes where it stopped")  # fmt: skip


def is_disk_full(exc: BaseException) -> bool:
    """An ``OSError`` for lack of space or quota, or a read-only file system."""
    if not isinstance(exc, OSError):
        return False
    if isinstance(exc, DiskFullError) or exc.errno in DISK_FULL_ERRNOS:
        return True
    return exc.errno is None and bool(_DISK_FULL_TEXT.search(str(exc)))


@contextmanager
def disk_full_as_error(path: str | Path) -> Iterator[None]:
    """Turn a disk-full ``OSError`` inside the block into ``DiskFullError`` naming ``path``."""
    try:
        yield
    except DiskFullError:
        raise
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFullError.of(exc, path) from exc
        raise


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the block ends: written to a temp file,
    fsynced and renamed, so readers see the old or the new file, never half of it.

    On any failure the temp file is removed and the old file (if any) is left as it was.
    """
    with disk_full_as_error(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """``data`` written to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path) as fh:
        fh.write(data)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """All complete rows of a JSONL file (a torn last line is skipped).

    A row is complete when its newline is written: a last line without one is torn even when
    it parses (a write cut off by a full disk right before the newline), and the next append
    cuts it, so reading it as a row would count a row that is about to go.
    """
    if not path.is_file():
        return []
    data = path.read_bytes()
    rows = []
    for line in data.split(b"\n")[:-1]:  # the part after the last newline is empty or torn
        if not line:
            continue
        try:
            rows.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue  # only the torn tail can be partial; it is cut before the next append
    return rows
