"""Merged record lines of one unit: how the merge builds them, and the part a one-stage run's stage
writes with them when it seals a unit, so the merge copies them instead of reading the unit back.

A part (``RUN/stages/<stage>/<fp>/merged-uNNNNN.part``) is a cache, never the truth: its header
holds the identity (size, mtime, ctime, inode) of the unit's rows and records files as they were
when it was written, the merged field names, its line count and length, and the unit's row
statistics. The merge uses a part only when all of these match the files as they are now, so any
later write to the unit (a resumed run, a retry, a compaction, another world size) makes it fall
back to reading the rows, as before. Parts are removed by the merge that used them.

A version 2 part holds, for each line of the unit's records file (which the stage then writes in
merge order), only what the merge splices onto that record: ``"sample_id":...,<outputs>}``, or an
empty line for a sample without an ok row. The merge reads the two files in step, so the records'
bytes are written once, not twice (a version 1 part holds whole merged lines: where any record
needs the slow way of ``merged_lines``, or its keys do not sort).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Container, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

PART_VERSION = 1  # whole merged lines
SPLICED_VERSION = 2  # per records line, the fields spliced onto it
_NEWLINE = orjson.OPT_APPEND_NEWLINE
RecordParts = tuple[list[Any], bytes, bytes]  # (sort key, its JSON bytes, the record's JSON bytes)


def _reason_kind(reason: str) -> str:
    """Group reasons by kind: keep what precedes the first colon, with quoted names blanked."""
    return re.sub(r"'[^']*'", "'…'", reason.split(":", 1)[0])[:80]


def stage_counts(rows: dict[str, Any]) -> dict[str, Any]:
    """What one stage's rows of one unit add to the merge's statistics (JSON-able, first-seen order kept):
    one comprehension per figure (a unit's rows are nearly all ok, with no timings)."""
    vals = rows.values()
    status = Counter([r["status"] for r in vals])
    reasons = Counter([_reason_kind(r.get("reason") or "") for r in vals if r["status"] != "ok"])
    # the openai/vllm engines record the HTTP attempts behind each answer in its timings
    http = sum([max(0, int(t.get("attempts") or 1) - 1) for r in vals if (t := r.get("timings"))])
    return {"rows": len(rows), "status": dict(status), "reasons": dict(reasons),
            "sums": {"prompt_tokens": sum([r.get("prompt_tokens") or 0 for r in vals]),
                     "completion_tokens": sum([r.get("completion_tokens") or 0 for r in vals]),
                     "retried_rows": sum([(r.get("attempt") or 0) > 1 for r in vals]),
                     "http_retries": http}}  # fmt: skip


def _sort_key(rec: dict[str, Any], sid: str) -> list[Any]:
    return [rec.get("image_id", 0), rec.get("instance_id", 0), rec.get("file_name", ""), sid]


def spliced_keys(names: list[str]) -> Callable[[bytes], re.Match[bytes] | None]:
    """A search for any key a merge splices into a seed record (``sample_id`` and the stages' fields):
    a record holding one cannot take the spliced bytes as they are."""
    taken = [b'"sample_id":'] + [orjson.dumps(n) + b":" for n in names]
    return re.compile(b"|".join(re.escape(t) for t in taken)).search


def merged_lines(
    per_stage: list[dict[str, Any]],
    records: dict[str, RecordParts],
    names: list[str],
    clean: Container[str] = (),
) -> list[tuple[list[Any], bytes]]:
    """(sort key, line ``key TAB merged record``) of one unit's samples with an ok first-stage row, sorted.
    A record is its seed record's bytes with ``sample_id`` and the stages' outputs spliced in (one
    ``orjson.dumps`` of those fields), and its key the bytes the records file holds. ``clean``: sample ids
    whose record bytes are known to hold none of those keys (the stage's packed records), not scanned."""
    first = per_stage[0]
    if not first:
        return []
    _has_key = spliced_keys(names)  # one scan per record
    # the spliced fields are one dict: names that would collide in it (a field named sample_id, one named
    # twice) take the slow way, which writes what the dict would
    splice = "sample_id" not in names and len(set(names)) == len(names)
    later = per_stage[1:]
    dumps = orjson.dumps
    lines = []
    for sid, row in first.items():
        if row.get("status") != "ok":
            continue
        outputs = [row.get("output")]
        for rows in later:
            r = rows.get(sid)
            outputs.append(r.get("output") if r is not None and r.get("status") == "ok" else None)
        got = records.get(sid)
        if got is not None and splice and (sid in clean or not _has_key(got[2])):  # no key to replace: splice
            key, key_bytes, raw = got
            fields = dumps({"sample_id": sid, **dict(zip(names, outputs, strict=True))})
            data = fields if raw == b"{}" else raw[:-1] + b"," + fields[1:]
        else:
            base = orjson.loads(got[2]) if got is not None else row.get("record")
            if not isinstance(base, dict):
                continue
            rec = dict(base, sample_id=sid)
            for name, value in zip(names, outputs, strict=True):
                rec[name] = value
            key = _sort_key(rec, sid)
            key_bytes, data = dumps(key), dumps(rec)
        lines.append((key, key_bytes + b"\t" + data + b"\n"))
    lines.sort(key=lambda kd: kd[0])
    return lines


def spliced_part(
    rows: dict[str, Any], records: list[tuple[str, RecordParts]], names: list[str], clean: Container[str] = ()
) -> tuple[list[tuple[str, RecordParts]], list[bytes]] | None:
    """A one-stage unit's records in merge order and its version 2 part's lines, one per record: the
    bytes ``merged_lines`` would splice onto it (from ``"sample_id"`` on), or an empty line where the
    sample has no ok row. None where ``merged_lines`` would take its slow way for any record (then the
    part holds whole lines) or the keys do not sort."""
    if len(names) != 1 or names[0] == "sample_id":  # one stage's field, spliced as ``merged_lines`` would
        return None
    try:
        ordered = sorted(records, key=lambda r: r[1][0])
    except TypeError:
        return None
    _has_key = spliced_keys(names)
    dumps, (name,), get = orjson.dumps, names, rows.get
    lines: list[bytes] = []
    add = lines.append  # a unit's worth of lines: the loop is the part's whole cost
    for sid, (_, _, raw) in ordered:
        row = get(sid)
        if row is None or row["status"] != "ok":
            add(b"\n")
            continue
        if sid not in clean and _has_key(raw):
            return None
        add(dumps({"sample_id": sid, name: row.get("output")}, option=_NEWLINE)[1:])
    return ordered, lines


def unit_part(
    rows: dict[str, Any], records: list[tuple[str, RecordParts]], names: list[str], clean: Container[str] = ()
) -> tuple[list[tuple[str, RecordParts]], tuple[list[bytes], dict[str, Any], int]]:
    """A one-stage unit's records in the order its records file is to hold them, and its part (lines, row
    counts, version): version 2 where ``spliced_part`` can, else whole merged lines."""
    spliced = spliced_part(rows, records, names, clean)
    if spliced is not None:
        return spliced[0], (spliced[1], stage_counts(rows), SPLICED_VERSION)
    lines = [ln for _, ln in merged_lines([rows], dict(records), names, clean)]
    return records, (lines, stage_counts(rows), PART_VERSION)


def file_stamp(path: Path) -> list[int] | None:
    """What any write to ``path`` changes: size, mtime, ctime (no one can set it back) and inode."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def write_part(
    path: Path,
    rows_path: Path,
    records_path: Path,
    names: list[str],
    lines: list[bytes],
    counts: dict[str, Any],
    version: int = PART_VERSION,
) -> None:
    """Write a unit's part once its rows and records files are final (after its done marker). Not
    fsynced: a part lost or cut short by a crash fails its check and the merge reads the unit instead."""
    body = b"".join(lines)
    header = {"v": version, "names": names, "rows": file_stamp(rows_path), "records": file_stamp(records_path),
              "lines": len(lines), "bytes": len(body), "counts": counts}  # fmt: skip
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(orjson.dumps(header) + b"\n")
            fh.write(body)
        os.replace(tmp, path)
    except OSError:  # a cache: a full disk here costs the merge a read, nothing more
        with suppress(OSError):
            tmp.unlink()


def valid_part(
    path: Path, rows_path: Path, records_path: Path, names: list[str]
) -> tuple[int, dict[str, Any], int] | None:
    """(offset of the lines, the unit's row counts, the part's version) of a part that matches the unit's
    files as they are now; None for none, a stale one or a damaged one."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline()
            size = os.fstat(fh.fileno()).st_size
        header = orjson.loads(first)
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(header, dict) or header.get("v") not in (PART_VERSION, SPLICED_VERSION):
        return None
    if header.get("names") != names:
        return None
    rows, records = file_stamp(rows_path), file_stamp(records_path)
    if rows is None or records is None or header.get("rows") != rows or header.get("records") != records:
        return None
    if not first.endswith(b"\n") or size != len(first) + header.get("bytes", -1):
        return None
    return len(first), header["counts"], header["v"]


def read_part(path: Path, offset: int, records_path: Path, version: int) -> Iterator[tuple[list[Any], bytes]]:
    """(sort key, merged record) of each line of a valid part, in its order: a version 1 part's lines
    as they are, a version 2 part's spliced onto the records file's lines, read in step."""
    loads = orjson.loads
    with open(path, "rb") as fh:
        fh.seek(offset)
        if version == PART_VERSION:
            for line in fh:
                key, _, data = line.partition(b"\t")
                yield loads(key), data[:-1]
            return
        with open(records_path, "rb") as rec_fh:
            for fields, line in zip(fh, rec_fh, strict=True):
                if fields == b"\n":
                    continue
                key, _, raw = line.partition(b"\t")
                yield loads(key), (b"{" if raw == b"{}\n" else raw[:-2] + b",") + fields[:-1]
