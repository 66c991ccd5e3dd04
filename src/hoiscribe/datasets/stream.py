"""Top-level entries of a large JSON object, parsed a chunk or an entry at a time.

A parsed 120 MB annotation file is about ten times its size in Python objects; parsing it
piecewise keeps one piece in memory. ``json_object_chunks`` (the fast path) reads the file in
chunks of 256 KiB, finds the top-level entry boundaries with numpy (string- and
escape-aware) and parses each run of whole entries with one ``orjson.loads``; whatever it cannot
vouch for (duplicate keys, a value orjson refuses, text after the object) goes to
``json_object_items`` from the first entry not yet given, which is what every reader got before:
ijson's C parser, entry by entry. What the incremental parser refuses (``NaN`` and
``Infinity`` as Python's ``json.dump`` writes them, integers past 64 bits, a file that is not an
object) is left to the whole-file parse of ``base.parse_json``, which reads those or names the
problem exactly as the readers always have, continuing after the entries already given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from hoiscribe.datasets.base import DatasetError, parse_json

BUFFER_BYTES = 1 << 20
_BACKSLASH_RUNS = re.compile(rb"\\+")
CHUNK_BYTES = 1 << 18  # bytes read per step of the fast path: ~1,000 HAKE pairs, a few MB parsed
_WS = b" \t\r\n"
_OPEN, _CLOSE = np.zeros(256, np.int8), np.zeros(256, np.int8)
_OPEN[[ord("{"), ord("[")]] = 1
_CLOSE[[ord("}"), ord("]")]] = 1
_STRUCTURAL = np.zeros(256, bool)
_STRUCTURAL[[ord(c) for c in "{}[],"]] = True


def _opens_object(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return head.lstrip(b" \t\r\n")[:1] == b"{"


def json_object_items(
    path: Path, what: str, expected: str = "a JSON object keyed by file name"
) -> Iterator[tuple[str, Any]]:
    """(key, value) of each top-level entry of the JSON object in ``path``, in file order.

    ``DatasetError`` naming the file when it is not readable JSON or not an object."""
    done = 0
    try:
        import ijson
    except ModuleNotFoundError:  # an install without it: the whole-file parse below
        ijson = None
    if ijson is not None and _opens_object(path):
        try:
            with path.open("rb") as fh:
                for key, value in ijson.kvitems(fh, "", use_float=True, buf_size=BUFFER_BYTES):
                    yield key, value
                    done += 1
            return
        except (ijson.JSONError, ValueError, OverflowError):
            pass  # NaN, huge integers, bad JSON: the whole-file parse reads or names it
        except OSError as exc:
            raise DatasetError(f"{what} is not readable: {path}: {exc}") from None
    try:
        data = parse_json(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DatasetError(f"{what} is not readable JSON: {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected {expected}, got {type(data).__name__}")
    yield from islice(data.items(), done, None)


def _real_quotes(buf: bytes, arr: np.ndarray) -> np.ndarray:
    """Positions of the quotes in ``buf`` that open or close a string (not ``\\"`` escapes)."""
    quotes = np.flatnonzero(arr == 34)
    if b"\\" not in buf:
        return quotes
    escaped = np.zeros(len(buf) + 1, bool)  # escaped[i]: byte i follows an odd run of backslashes
    for m in _BACKSLASH_RUNS.finditer(buf):
        if (m.end() - m.start()) % 2:
            escaped[m.end()] = True
    return quotes[~escaped[quotes]]


def _split(buf: bytes) -> tuple[int, int, bool]:
    """Where the whole entries of ``buf`` end: (length, top-level entries in it, object closed there).

    ``buf`` starts inside the top-level object, between entries, outside any string. The length is
    that of the entries before the last top-level comma (or before the closing brace); 0 if none ends."""
    arr = np.frombuffer(buf, np.uint8)
    quotes = _real_quotes(buf, arr)
    marks = np.flatnonzero(_STRUCTURAL[arr])
    if len(quotes):
        marks = marks[(np.searchsorted(quotes, marks) & 1) == 0]  # outside strings
        if len(quotes) & 1:  # a string open at the end of the buffer: nothing after its quote counts
            marks = marks[marks < quotes[-1]]
    chars = arr[marks]
    depth = 1 + np.cumsum(_OPEN[chars].astype(np.int32) - _CLOSE[chars])  # depth after each mark
    closed = np.flatnonzero(depth == 0)
    if len(closed):  # the object's closing brace
        end = int(closed[0])
        if chars[end] != 125:
            raise _Refused  # a ']' closes it: not JSON, the other path names the error
        return int(marks[end]), int(np.count_nonzero(chars[:end][depth[:end] == 1] == 44)) + 1, True
    commas = np.flatnonzero((chars == 44) & (depth == 1))
    if not len(commas):
        return 0, 0, False
    return int(marks[commas[-1]]), len(commas), False


class _Refused(Exception):
    """The fast path cannot vouch for this file from here on: the entry-by-entry path takes over."""


def _parse(body: bytes, entries: int) -> list[tuple[str, Any]]:
    try:
        data = orjson.loads(b"{" + body + b"}")
    except orjson.JSONDecodeError:
        raise _Refused from None
    if len(data) != entries:  # a duplicate key: ijson gives both entries, a dict one
        raise _Refused
    return list(data.items())


def json_object_chunks(
    path: Path, what: str, expected: str = "a JSON object keyed by file name", chunk_bytes: int = CHUNK_BYTES
) -> Iterator[list[tuple[str, Any]]]:
    """``json_object_items`` in lists of consecutive entries (one per chunk of the file), in file order:
    the same entries and the same errors."""
    done = 0
    try:
        with path.open("rb") as fh:
            buf = b""
            while not buf and (more := fh.read(chunk_bytes)):
                buf = more.lstrip(_WS)
            if buf[:1] != b"{":
                raise _Refused
            buf = buf[1:].lstrip(_WS)
            if buf[:1] == b"}":
                raise _Refused  # an empty object: nothing to gain, and the tail check is the other path's
            while True:
                more = fh.read(chunk_bytes)
                end, entries, closed = _split(buf)
                if closed:
                    tail = buf[end + 1 :] + more
                    while not tail.strip(_WS) and (tail := fh.read(chunk_bytes)):
                        pass
                    if tail.strip(_WS):
                        raise _Refused  # text after the object: the other path names the error
                    items = _parse(buf[:end], entries)
                    done += len(items)
                    yield items
                    return
                if not more and not entries:
                    raise _Refused  # the file ends inside the object
                if entries:
                    items = _parse(buf[:end], entries)
                    done += len(items)
                    yield items
                    buf = buf[end + 1 :]
                buf += more
    except _Refused:
        pass
    except OSError as exc:
        raise DatasetError(f"{what} is not readable: {path}: {exc}") from None
    rest = islice(json_object_items(path, what, expected), done, None)
    while batch := list(islice(rest, 4096)):
        yield batch
