"""Top-level entries of a large JSON object, parsed one at a time (ijson's C parser).

A parsed 120 MB annotation file is about ten times its size in Python objects; parsing it
entry by entry keeps one entry in memory. What the incremental parser refuses (``NaN`` and
``Infinity`` as Python's ``json.dump`` writes them, integers past 64 bits, a file that is not an
object) is left to the whole-file parse of ``base.parse_json``, which reads those or names the
problem exactly as the readers always have, continuing after the entries already given.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.datasets.base import DatasetError, parse_json

BUFFER_BYTES = 1 << 20


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
