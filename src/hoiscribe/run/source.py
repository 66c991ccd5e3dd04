"""A run's samples, streamed: read once into a spill file, then loaded one work unit at a time.

The reader's samples go, in batches as it reads them, through the input digest (annotation plus
image identity) into ``RUN/spill/rank<r>.jsonl``: one line per sample, ``[digest, packed sample]``.
What stays in memory is the index: per sample its unit hash and the byte span of its line (16 bytes
a sample, numpy arrays). A stage then loads one unit's lines (sliced from the mapped file), so memory holds the
work in flight, not the dataset. The spill is this run's alone: rebuilt on every run, removed at
its end, never trusted across runs (resume keys on the rows' digests, not on the spill).
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
from array import array
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from hoiscribe.catalog import READERS, canonical_split
from hoiscribe.core.io import DiskFullError, is_disk_full
from hoiscribe.core.records import content_digest
from hoiscribe.datasets.base import ReadResult, reader_packed, reader_stream
from hoiscribe.datasets.codec import Packed, pack, unpack
from hoiscribe.datasets.hake_fast import packed_digest, packed_digests
from hoiscribe.run.config import PipelineConfig

SPILL_BATCH = 1024  # samples digested and written together (image hashes are computed in parallel)
GC_EVERY = 64  # chunks between collections while reading
IDENTITY_CACHE = 8192  # image paths whose identity is remembered (a file's pairs are read together)
_LINE = orjson.OPT_APPEND_NEWLINE
MAP_BLOCK = 64  # spill lines sliced between releases of the mapped pages already read
_DROP = getattr(mmap, "MADV_DONTNEED", None)  # memory stays the work in flight, not the spill


def unit_hash(sample_id: str) -> int:
    """The 64-bit hash ``units.unit_of`` takes modulo the unit count."""
    return int.from_bytes(hashlib.blake2b(sample_id.encode(), digest_size=8).digest(), "big")


@dataclass
class SampleIndex:
    """Where each read sample's spilled line is, and its unit hash; the only per-sample state kept."""

    path: Path
    read: ReadResult  # drops and stats; no samples
    hashes: np.ndarray  # uint64 unit hash per sample, in reading order
    offsets: np.ndarray  # uint64 byte offset of each line, plus the end of the file
    _units: np.ndarray | None = field(default=None, repr=False)
    _num_units: int = 0

    def __len__(self) -> int:
        return len(self.hashes)

    def assign(self, num_units: int) -> None:
        """Fix the unit count (known only once every sample is counted, or from the manifest)."""
        self._num_units = num_units
        self._units = (self.hashes % np.uint64(num_units)).astype(np.int64)

    def unit_counts(self) -> dict[int, int]:
        """Samples per unit, for the units that have any."""
        assert self._units is not None, "assign() the unit count first"
        units, counts = np.unique(self._units, return_counts=True)
        return dict(zip(units.tolist(), counts.tolist(), strict=True))

    def load(self, unit: int) -> list[tuple[Any, str]]:
        """(sample, input digest) of every sample of ``unit``, in reading order."""
        return [(unpack(packed), digest) for digest, packed in self._lines(unit)]

    def load_packed(self, unit: int) -> list[tuple[Packed, str]]:
        """``load`` with each sample left packed (``codec.Packed``: unpacked only if something asks
        for more than its id): for stages whose task reads packed samples (``Task.facts_packed``)."""
        return [(Packed(packed), digest) for digest, packed in self._lines(unit)]

    def _lines(self, unit: int) -> list[list[Any]]:
        """The unit's spilled lines, ``[digest, packed sample]``, parsed in one ``orjson.loads``: sliced out
        of the mapped spill (a unit's lines are scattered over it by hash: a read call each cost more)."""
        assert self._units is not None, "assign() the unit count first"
        rows = np.flatnonzero(self._units == unit)
        if not len(rows):
            return []
        starts, ends = self.offsets[rows].tolist(), (self.offsets[rows + 1] - 1).tolist()  # without the newline
        lines: list[bytes] = []
        with self.path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            for i in range(0, len(starts), MAP_BLOCK):
                lines += [view[a:b] for a, b in zip(starts[i : i + MAP_BLOCK], ends[i : i + MAP_BLOCK], strict=True)]
                if _DROP is not None:  # each fault maps the pages around it: hand back those passed
                    low = starts[i] - starts[i] % mmap.PAGESIZE
                    view.madvise(_DROP, low, ends[min(i + MAP_BLOCK, len(ends)) - 1] - low)
        return orjson.loads(b"[" + b",".join(lines) + b"]")

    def close(self) -> None:
        """Remove the spill (and its folder, once no other rank's spill is in it)."""
        with suppress(OSError):
            self.path.unlink()
        with suppress(OSError):
            self.path.parent.rmdir()


def spill_path(out: Path, rank: int) -> Path:
    return out / "spill" / f"rank{rank}.jsonl"


def index_dataset(cfg: PipelineConfig, rank: int = 0, workers: int = 2) -> SampleIndex:
    """Stream the configured dataset into this rank's spill file; the index of what it holds."""
    reader = READERS.get(cfg.dataset)
    options = dict(cfg.reader)
    if cfg.split is not None:
        options["split"] = canonical_split(cfg.dataset, cfg.split)
    packer = reader_packed(reader)  # a packed twin spills its lists without building samples
    stream = (packer or reader_stream(reader))(cfg.resolved_data_root(), max_samples=cfg.max_samples, **options)
    path = spill_path(Path(cfg.out), rank)
    path.parent.mkdir(parents=True, exist_ok=True)
    hashes = array("Q")  # 8 bytes a sample while reading, not a Python int's 36
    offsets = array("Q", [0])
    ident = _Identity(cfg.image_identity, workers)
    try:
        with open(path, "wb") as fh:  # the scratch spill: plain open, outside the metered paths
            for i, chunk in enumerate(_chunks(stream.batches, SPILL_BATCH)):
                if i % GC_EVERY == GC_EVERY - 1:
                    gc.collect()  # the run collects by hand (``pipeline._long_lived_heap``)
                if packer is not None:
                    ids, data = ident.packed_lines(chunk)
                else:
                    ids = [s.sample_id for s in chunk]
                    digests = ident.digests(chunk)
                    data = [orjson.dumps([d, pack(s)], option=_LINE) for s, d in zip(chunk, digests, strict=True)]
                offsets.extend(islice(accumulate(map(len, data), initial=offsets[-1]), 1, None))
                hashes.extend(map(unit_hash, ids))
                fh.write(b"".join(data))
    except OSError as exc:
        with suppress(OSError):
            path.unlink()
        if is_disk_full(exc):
            raise (exc if isinstance(exc, DiskFullError) else DiskFullError.of(exc, path)) from exc
        raise
    finally:
        ident.close()
    return SampleIndex(
        path, stream.result, np.frombuffer(hashes, dtype=np.uint64), np.frombuffer(offsets, dtype=np.uint64)
    )


def _chunks(batches: Iterator[list[Any]], size: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for batch in batches:
        buf.extend(batch)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


class _Identity:
    """Input digests: each record's own digest of its annotation and of its image files' identity
    ("stat" = path, size and mtime; "hash" = a hash of the bytes, hashed in parallel). Many pairs
    share an image: a path is looked at once while its pairs are read."""

    def __init__(self, mode: str, workers: int) -> None:
        self.mode = mode
        self.known: dict[str | None, str | None] = {None: None}
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="hoiscribe-hash") if mode == "hash" else None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def _look(self, paths: set[str | None]) -> dict[str | None, str | None]:
        """``known``, with the identity of each of ``paths`` in it."""
        known = self.known
        if len(known) > IDENTITY_CACHE:
            known.clear()
            known[None] = None
        todo = [p for p in paths if p not in known]
        if todo:
            ident = file_identity if self.mode == "hash" else stat_identity
            found = self.pool.map(ident, todo) if self.pool is not None else map(ident, todo)
            known.update(zip(todo, found, strict=True))
        return known

    def packed_lines(self, packed: list[list[Any]]) -> tuple[list[str], list[bytes]]:
        """Sample ids and spill lines of a packed twin's lists: each digest is the one its sample's
        ``input_digest`` would give (``hake_fast.packed_digest``), without building the sample."""
        known = self._look({p[13] for p in packed if p[0] == "S"})
        if all(p[0] == "S" for p in packed):  # a reader's own lists, none pickled: in bulk
            digests = packed_digests(packed, [known[p[13]] for p in packed])
            lines = [orjson.dumps([d, p], option=_LINE) for d, p in zip(digests, packed, strict=True)]
            return [p[1] for p in packed], lines
        ids, lines = [], []
        for p in packed:
            if p[0] == "S":
                ids.append(p[1])
                digest = packed_digest(p, known[p[13]])
            else:  # pickled by ``pack``: the sample's own digest
                sample = unpack(p)
                ids.append(sample.sample_id)
                digest = self.digests([sample])[0]
            lines.append(orjson.dumps([digest, p], option=_LINE))
        return ids, lines

    def digests(self, samples: list[Any]) -> list[str]:
        known = self._look({p for s in samples for p in (s.image_path, getattr(s, "target_path", None))})
        out = []
        for s in samples:
            images: Any = known[s.image_path]
            target = getattr(s, "target_path", None)  # a pose pair has two images
            if target is not None:
                images = (images, known[target])
            own = getattr(s, "input_digest", None)  # a plug-in reader's record may have none: hash its record
            out.append(own(images) if own else content_digest((s.as_record(), images)))
        return out


def stat_identity(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def file_identity(path: str) -> str:
    """The bytes only, not the path: a moved or copied dataset keeps its digests."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
    except OSError:
        return "missing"
