"""Decode a large top-level JSON array of objects a chunk of elements at a time.

A prediction file of a million detections decodes into ~3 million small Python lists, about
1 GB of objects. Decoding it a few hundred images at a time keeps only one chunk's objects
alive. Element boundaries come from a vectorised scan of the raw bytes, block by block so it
stays in cache: braces outside strings (by the parity of unescaped quotes before them), brace
depth by cumulative sum. Anything unexpected (top level not an array of objects, a chunk that
does not decode, a gap between chunks that is not a single comma) makes the caller decode the
whole document instead, so a malformed file gets the decoder's own error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson

_QUOTE, _BACKSLASH, _OPEN, _CLOSE = ord('"'), ord("\\"), ord("{"), ord("}")
_WS = b" \t\r\n"
_BLOCK = 1 << 18


class ChunkingFailed(Exception):
    """The brace scan did not find true element boundaries; decode the document whole instead."""


def decode(data: bytes) -> Any:
    """orjson, falling back to the stdlib decoder, which also accepts ``NaN`` and ``Infinity``.

    Python's ``json.dump`` writes those tokens for non-finite floats; reading them lets the
    validators report the offending field instead of a bare syntax error.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            return json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        raise


def _escaped(buf: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """Mask of quotes preceded by an odd run of backslashes (rare: a plain loop is fine)."""
    out = np.zeros(len(quotes), dtype=bool)
    for i in np.flatnonzero(buf[np.maximum(quotes - 1, 0)] == _BACKSLASH).tolist():
        q, run = int(quotes[i]), 0
        while q - run - 1 >= 0 and buf[q - run - 1] == _BACKSLASH:
            run += 1
        out[i] = run % 2 == 1
    return out


def _braces_outside_strings(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``{`` / ``}`` that are not inside strings, and whether each one opens."""
    positions, opens = [], []
    parity = 0  # quotes seen so far, mod 2: 1 means the next byte is inside a string
    for start in range(0, len(buf), _BLOCK):
        block = buf[start : start + _BLOCK]
        quotes = np.flatnonzero(block == _QUOTE)
        if len(quotes) and (block == _BACKSLASH).any():
            quotes = quotes[~_escaped(buf, quotes + start)]
        braces = np.flatnonzero((block == _OPEN) | (block == _CLOSE))
        outside = (np.searchsorted(quotes, braces) + parity) % 2 == 0
        braces = braces[outside]
        positions.append(braces + start)
        opens.append(block[braces] == _OPEN)
        parity = (parity + len(quotes)) % 2
    if not positions:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    return np.concatenate(positions), np.concatenate(opens)


def element_spans(raw: bytes) -> list[tuple[int, int]] | None:
    """``(start, end)`` byte spans of the objects of a top-level array, or None if not that shape."""
    stripped = raw.strip(_WS)
    lead = len(raw) - len(raw.lstrip(_WS))
    if not stripped.startswith(b"[") or not stripped.endswith(b"]"):
        return None
    braces, opens = _braces_outside_strings(np.frombuffer(raw, dtype=np.uint8))
    if len(braces) == 0:
        return [] if stripped[1:-1].strip(_WS) == b"" else None
    step = np.where(opens, 1, -1)
    depth = np.cumsum(step)
    if depth.min() < 0 or depth[-1] != 0:
        return None
    starts = braces[(step == 1) & (depth == 1)]
    ends = braces[(step == -1) & (depth == 0)] + 1
    # Only whitespace may sit between the array's brackets and its first / last element.
    if raw[lead + 1 : starts[0]].strip(_WS) or raw[ends[-1] : lead + len(stripped) - 1].strip(_WS):
        return None
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def iter_array_chunks(raw: bytes, chunk: int = 512, lines: bool = False) -> Iterator[Any]:
    """Yield the decoded elements of a top-level JSON array, ``chunk`` elements at a time.

    Yields the whole decoded document once when it is not an array of objects (errors then are
    the decoder's). Raises :class:`ChunkingFailed` when a chunk does not decode, which means
    either the boundaries were wrong or the JSON is invalid: decoding the whole document tells.
    JSON Lines input (``lines=True``) is chunked by line instead.
    """
    if lines:
        rows = [line for line in raw.splitlines() if line.strip(_WS)]
        for i in range(0, len(rows), chunk):
            yield [decode(line) for line in rows[i : i + chunk]]
        return
    spans = element_spans(raw)
    if spans is None:
        yield decode(raw)
        return
    view = memoryview(raw)
    for i in range(0, len(spans), chunk):
        part = spans[i : i + chunk]
        if i + chunk < len(spans) and raw[part[-1][1] : spans[i + chunk][0]].strip(_WS) != b",":
            raise ChunkingFailed(f"no ',' between array elements at byte {part[-1][1]}")
        try:
            items = decode(b"[" + bytes(view[part[0][0] : part[-1][1]]) + b"]")
        except ValueError as exc:
            raise ChunkingFailed(str(exc)) from None
        yield items
