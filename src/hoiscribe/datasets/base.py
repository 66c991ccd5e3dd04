"""What every reader returns and path safety; readers are named in ``hoiscribe.catalog``."""

from __future__ import annotations

import json
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.records import Sample


class DatasetError(ValueError):
    """A problem that stops reading: a missing or unreadable annotation file."""


@dataclass(frozen=True, slots=True)
class Drop:
    """One record left out, with where and why."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} [{self.record}] {self.field}: {self.reason}"


@dataclass
class ReadResult:
    """Samples that are usable, the records dropped, and reader-specific counts."""

    samples: list[Sample | Any]  # Sample, or another record type with sample_id / image_path / as_record()
    dropped: list[Drop] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def drop_summary(self) -> dict[str, int]:
        """Counts of drops by kind, for the run summary, most frequent first.

        A kind is the field and reason without the record-specific numbers and quoted names; each
        kind is keyed by the ``field: reason`` of its first drop, numbers and all, as an example.
        """
        counts: Counter[str] = Counter()
        example: dict[str, str] = {}
        for d in self.dropped:
            kind = f"{d.field}: {_reason_kind(d.reason)}"
            counts[kind] += 1
            example.setdefault(kind, f"{d.field}: {d.reason}")
        return {example[kind]: n for kind, n in counts.most_common()}


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _reason_kind(reason: str) -> str:
    """A reason's kind, for counting: quoted names and numbers blanked (``'…'``, ``N``)."""
    return _NUMBER.sub("N", _QUOTED.sub("'…'", reason))


DEFAULT_MAX_FILE_BYTES = 2 * 1024**3  # 2 GiB: the largest real file read (Halpe, COCO, HAKE) is a few 100 MB
SPARSE_MIN_BYTES = 16 * 1024**2  # smaller files are never called sparse (inline or compressed storage)
SPARSE_RATIO = 32  # a file with under 1/32 of its length on disk is mostly holes, not JSON
NAME_MAX_BYTES = 255  # one path component (ext4, xfs, btrfs, APFS, NTFS in UTF-16 units)
PATH_MAX_BYTES = 4096  # a whole path, NUL included (Linux PATH_MAX)


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


def check_file_size(path: Path, what: str, max_bytes: int | None = None) -> int:
    """The size of an annotation file about to be parsed; ``DatasetError`` before reading it when it
    is missing, larger than ``max_bytes`` (default ``DEFAULT_MAX_FILE_BYTES``; reader option
    ``max_file_bytes``) or sparse (far fewer bytes on disk than its length: holes, not JSON)."""
    cap = DEFAULT_MAX_FILE_BYTES if max_bytes is None else max_bytes
    if isinstance(cap, bool) or not isinstance(cap, int) or cap <= 0:
        raise DatasetError(f"max_file_bytes must be a positive integer, got {max_bytes!r}")
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DatasetError(f"{what} not found: {path}") from None
    except OSError as exc:  # a name too long, a permission, a loop
        raise DatasetError(f"{what} is not readable: {path}: {exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise DatasetError(f"{what} not found: {path} is not a regular file")
    if st.st_size > cap:
        raise DatasetError(
            f"{what} {path} is {_size(st.st_size)}, over the cap of {_size(cap)} for this file "
            f"(raise it with the reader option max_file_bytes if the file is real)"
        )
    blocks = getattr(st, "st_blocks", None)
    if blocks is not None and st.st_size >= SPARSE_MIN_BYTES and blocks * 512 * SPARSE_RATIO < st.st_size:
        raise DatasetError(
            f"{what} {path} is a sparse file: {_size(st.st_size)} long but {_size(blocks * 512)} on disk "
            f"(cap {_size(cap)}); it is not a real annotation file"
        )
    return st.st_size


def parse_json(data: bytes) -> Any:
    """orjson, falling back to the standard library for the ``NaN`` / ``Infinity`` that Python's
    ``json.dump`` writes (those values then fail their field check, one record each)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if not (b"NaN" in data or b"Infinity" in data or "infinity" in str(exc)):
            raise
        try:
            return json.loads(data)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise exc from None


def load_json_file(path: Path, what: str, max_bytes: int | None = None) -> Any:
    """Parse a JSON annotation file; ``DatasetError`` naming the file otherwise (see ``check_file_size``)."""
    check_file_size(path, what, max_bytes)
    try:
        return parse_json(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DatasetError(f"{what} is not readable JSON: {path}: {exc}") from exc


def _short(name: Any) -> str:
    text = repr(name)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(name)} characters)"


def safe_join(root: Path, *parts: str) -> Path:
    """Join untrusted file names under ``root``; ``ValueError`` if one could escape it or is too long.

    Lexical on purpose (no filesystem access per record): absolute paths, ``..`` parts and
    backslashes are refused, which keeps every result inside ``root``; so are names the
    filesystem cannot hold (a part over 255 bytes, a path of 4096 bytes or more), which would
    otherwise fail later, in whatever first touches the file.
    """
    for p in parts:
        if (
            not isinstance(p, str)
            or not p
            or p.startswith(("/", "~"))
            or "\\" in p
            or "\0" in p
            or ".." in p.split("/")
        ):
            raise ValueError(f"file name {_short(p)} escapes the data root")
        if not (p.isascii() and len(p) <= NAME_MAX_BYTES):  # the common case needs no encoding
            _check_length(p)
    path = root.joinpath(*parts)
    text = str(path)
    if len(text) * 4 >= PATH_MAX_BYTES:
        n = len(text.encode("utf-8", "surrogateescape"))
        if n >= PATH_MAX_BYTES:
            raise ValueError(f"file name {_short(text)} makes a path of {n} bytes; the limit is {PATH_MAX_BYTES - 1}")
    return path


def _check_length(name: str) -> None:
    try:
        longest = max(len(part.encode("utf-8", "surrogateescape")) for part in name.split("/"))
    except UnicodeEncodeError:
        raise ValueError(f"file name {_short(name)} is not valid text (a lone surrogate)") from None
    if longest > NAME_MAX_BYTES:
        raise ValueError(
            f"file name {_short(name)} has a part of {longest} bytes; the filesystem allows {NAME_MAX_BYTES}"
        )


def file_exists(path: Path) -> bool:
    """``path.is_file()``, and False where asking fails (a name too long, a permission)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


@dataclass
class StreamedRead:
    """A reader's samples in batches (one image's pairs, say), read as they are asked for.

    ``result`` is a ``ReadResult`` with no samples whose ``dropped`` grows while the batches are
    consumed and whose ``stats`` are set once they are exhausted: a run can index and spill the
    samples without ever holding them all."""

    batches: Iterator[list[Any]]
    result: ReadResult

    def collect(self) -> ReadResult:
        """Every sample in one list: the plain reader's answer."""
        samples = [s for batch in self.batches for s in batch]
        self.result.samples = samples
        return self.result


def streams_with(reader: Callable[..., ReadResult], streamer: Callable[[], Callable[..., StreamedRead]]) -> None:
    """Declare that ``reader`` has a streaming twin (same arguments, returns ``StreamedRead``);
    ``streamer`` returns it, so the twin may be defined after the reader."""
    reader.stream = streamer  # type: ignore[attr-defined]


def packs_with(reader: Callable[..., ReadResult], packer: Callable[[], Callable[..., StreamedRead]]) -> None:
    """Declare that ``reader`` has a packed twin: same arguments, a ``StreamedRead`` whose batches hold
    ``codec.pack(sample)`` of each sample the streaming twin gives (in its order, with its drops and
    stats), so that a run spills them without building the samples."""
    reader.packed = packer  # type: ignore[attr-defined]


def reader_packed(reader: Callable[..., ReadResult]) -> Callable[..., StreamedRead] | None:
    """The packed twin of a reader, or None."""
    packer = getattr(reader, "packed", None)
    return None if packer is None else packer()


def reader_stream(reader: Callable[..., ReadResult]) -> Callable[..., StreamedRead]:
    """The streaming twin of a reader; readers without one are read whole, then streamed from memory."""
    streamer = getattr(reader, "stream", None)
    if streamer is not None:
        return streamer()

    def whole(*args: Any, **kwargs: Any) -> StreamedRead:
        read = reader(*args, **kwargs)
        samples, read.samples = read.samples, []
        return StreamedRead(iter([samples] if samples else []), read)

    return whole
