"""Append-only per-unit output files with atomic done markers.

Durability choice: each row batch is appended and flushed (it survives a killed process;
the OS writes it out), and a unit's file is fsynced before its done marker is atomically
renamed into place. A row torn by a kill mid-write is the last line without a newline: it
is ignored on read and cut off before the next append, so it is simply redone.

A full disk (or quota, or a read-only file system) raises ``DiskFullError`` naming the file: the
rows appended before stay, the half-written batch is a torn tail, and the file takes no more
writes in this process, so a rerun resumes with nothing lost.

A ``Sealer`` writes a unit's records file, fsync and done marker in a thread while the next unit
is worked on (the fsyncs wait on the disk, not the CPU): the same files in the same order, so a
killed run finds a unit either sealed or not, as before; at most one unit waits to be sealed, and
its error (a full disk) is raised by the next ``submit`` or by ``close``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.io import DiskFullError, atomic_write_bytes, is_disk_full, read_rows

_LINE = orjson.OPT_APPEND_NEWLINE  # a row's JSON and its newline in one buffer


class UnitFile:
    """One unit's rows for one stage, plus its done marker."""

    def __init__(self, directory: Path, unit: str) -> None:
        self.path = directory / f"{unit}.jsonl"
        self.done_path = directory / f"{unit}.done"
        self._fh: Any = None
        self._full: DiskFullError | None = None  # set once a write found the disk full

    def read(self) -> list[dict[str, Any]]:
        return read_rows(self.path)

    def done_marker(self) -> dict[str, Any] | None:
        if not self.done_path.is_file():
            return None
        try:
            return json.loads(self.done_path.read_text())
        except (OSError, json.JSONDecodeError):
            return None

    def append(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append and flush; opens lazily and repairs a torn tail first."""
        if self._full is not None:
            raise self._full
        data = b"".join([orjson.dumps(r, option=_LINE) for r in rows])
        try:
            if self._fh is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _cut_torn_tail(self.path)
                self._fh = self.path.open("ab")
            self._fh.write(data)
            self._fh.flush()
        except OSError as exc:
            if (full := self._failed(exc)) is None:
                raise
            raise full from exc

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError as exc:
                if (full := self._failed(exc)) is None:
                    raise
                raise full from exc
            finally:
                self._fh = None

    def finish(self, rows: list[dict[str, Any]] | None, marker: dict[str, Any]) -> None:
        """Mark the unit done; ``rows`` (if given) replace the file first (compaction)."""
        if self._full is not None:
            raise self._full
        if self._fh is not None:
            try:
                os.fsync(self._fh.fileno())
            except OSError as exc:
                if (full := self._failed(exc)) is None:
                    raise
                raise full from exc
            self.close()
        if rows is not None:
            atomic_write_bytes(self.path, b"".join([orjson.dumps(r, option=_LINE) for r in rows]))
        atomic_write_bytes(self.done_path, json.dumps(marker).encode())

    def _failed(self, exc: OSError) -> DiskFullError | None:
        """Drop the handle (its unwritten buffer is a torn tail at most); a full disk stops this file."""
        if self._fh is not None:
            fh, self._fh = self._fh, None
            with suppress(OSError):
                fh.close()
        if is_disk_full(exc):
            self._full = exc if isinstance(exc, DiskFullError) else DiskFullError.of(exc, self.path)
        return self._full


class Sealer:
    """Runs each unit's sealing (records, fsync, done marker) behind the next unit's work, one at a time."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="hoiscribe-seal")
        self._pending: Future[None] | None = None

    def submit(self, seal: Callable[[], None]) -> None:
        """Seal a finished unit; first waits for the previous one (and raises its error)."""
        self.wait()
        self._pending = self._pool.submit(seal)

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self, raise_errors: bool = True) -> None:
        """Wait for the last unit's seal; ``raise_errors=False`` while another error is on its way."""
        try:
            self.wait()
        except BaseException:
            if raise_errors:
                raise
        finally:
            self._pool.shutdown()


def _cut_torn_tail(path: Path) -> None:
    if not path.is_file():
        return
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb+") as fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        # walk back to the last newline and cut there
        pos = size - 1
        chunk = 4096
        while pos > 0:
            start = max(0, pos - chunk)
            fh.seek(start)
            block = fh.read(pos - start)
            idx = block.rfind(b"\n")
            if idx >= 0:
                fh.truncate(start + idx + 1)
                return
            pos = start
        fh.truncate(0)
