"""The fast path for hoiscribe-layout prediction files: numbers go from bytes to arrays without
becoming Python objects.

A million detections are about 11 million numbers; decoding them into Python floats and lists
costs more time and memory than the evaluation itself. Here msgspec decodes only the per-image
skeleton, keeping ``boxes``, ``labels`` and ``hois`` as ``Raw`` slices of the input (validated
JSON, not copied). The slices of a few thousand images at a time are joined into one JSON array
and parsed by simdjson, whose ``as_buffer`` copies every number straight into a packed float64
(or int64) buffer: correctly rounded, as Python's ``float()`` rounds, and with every check
about 1.5x faster than numpy's text reader (docs/eval.md has the figures). ``as_buffer``
flattens any nesting and refuses anything but numbers, so the shape is checked on the
structure alone: with every value known to be a number, the chunk's ``[``, ``]`` and ``,``
bytes must spell exactly "n rows of 4" per image (a ragged, nested or empty row changes that
spelling). Anything this path does not expect (another top level, the
QPIC layout, ``NaN``, strings or ``null`` among the numbers, a shape that does not spell out)
returns None, and the caller takes the general path, whose errors name the image and field.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import numpy as np

from hoiscribe.eval.prediction_formats import FIELDS, FlatPredictions

try:  # a core dependency; without it every file takes the general path
    import simdjson
except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
    simdjson = None

CHUNK = 2048  # images per simdjson parse: keeps its tape (about 20 bytes a number) in the MB range
_STRUCTURE = bytes(b for b in range(256) if b not in b"[],")  # deleted: all but the structure bytes
_SIMDJSON_ERRORS = (ValueError, TypeError, RuntimeError, IndexError, KeyError)


class _Entry(msgspec.Struct, gc=False):
    file_name: str
    boxes: msgspec.Raw = msgspec.Raw()
    labels: msgspec.Raw = msgspec.Raw()
    hois: msgspec.Raw = msgspec.Raw()
    predictions: msgspec.Raw = msgspec.Raw()  # QPIC fields: present means "not this path"
    hoi_prediction: msgspec.Raw = msgspec.Raw()


_DECODER = msgspec.json.Decoder(list[_Entry])


def _spelling(counts: list[int], width: int) -> bytes:
    """The structure bytes of a JSON array of per-image lists: ``counts[i]`` rows of ``width``
    numbers each, or ``counts[i]`` plain numbers when ``width`` is 0."""
    row = b"[" + b"," * (width - 1) + b"]," if width else b","
    return b"[" + b",".join(b"[" + (row * n)[:-1] + b"]" for n in counts) + b"]"


def _numbers(parser: object, segments: Sequence[msgspec.Raw], width: int, kind: str) -> tuple[list[int], bytes] | None:
    """(items per segment, packed numbers) of segments that are each a list of ``width``-number
    rows (or of numbers when ``width`` is 0); None when they are not exactly that."""
    text = b"[" + b",".join([s or b"[]" for s in segments]) + b"]"  # a missing field is an empty list
    try:
        doc = parser.parse(text)  # type: ignore[attr-defined]
        try:
            counts = [len(item) for item in doc]  # TypeError for a number or null where a list belongs
            packed = doc.as_buffer(of_type=kind)  # TypeError unless every leaf is a number of that kind
        finally:
            del doc  # the parser is reused: nothing may still point into its tape
    except _SIMDJSON_ERRORS:  # NaN, integers past 64 bits, exponents past the double range
        return None
    if text.translate(None, _STRUCTURE) != _spelling(counts, width):
        return None  # an object among the segments, or rows that are ragged, nested or empty
    return counts, packed


def number_lists(
    segments: Sequence[msgspec.Raw], width: int, kind: str = "d", parser: object | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """(items per segment, values) of ``Raw`` segments that are each a JSON list of ``width``-number
    rows (``(n, width)`` values) or, with ``width`` 0, of numbers (``(n,)`` values); ``kind`` "d"
    reads float64, "i" int64 (integers only). None when simdjson is missing or the segments are not
    exactly that. Parsed ``CHUNK`` segments at a time with one reused parser."""
    if simdjson is None:
        return None
    parser = parser if parser is not None else simdjson.Parser()
    counts: list[int] = []
    packed = bytearray()  # grows in place (realloc), so the numbers are never held twice
    for start in range(0, len(segments), CHUNK):
        got = _numbers(parser, segments[start : start + CHUNK], width, kind)
        if got is None:
            return None
        counts += got[0]
        packed += got[1]
    values = np.frombuffer(packed, dtype=np.float64 if kind == "d" else np.int64)
    if width:
        values = values.reshape(-1, width)
    return np.asarray(counts, dtype=np.int64), values


def flatten_fast(raw: bytes) -> FlatPredictions | None:
    """The hoiscribe-layout file ``raw`` as arrays, or None when only the general path can read it."""
    if simdjson is None:
        return None
    try:
        entries = _DECODER.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if any(e.predictions or e.hoi_prediction for e in entries):
        return None
    names = [e.file_name for e in entries]
    labelled = [bool(e.labels) for e in entries]
    has_labels = any(labelled)
    if has_labels and not all(labelled):
        return None
    parser = simdjson.Parser()
    boxes = number_lists([e.boxes for e in entries], 4, "d", parser)
    if boxes is None:
        return None
    hois = number_lists([e.hois for e in entries], 4, "d", parser)
    if hois is None:
        return None
    n_box, box_values = boxes
    n_hoi, rows = hois
    labels = np.full(len(box_values), -1, dtype=np.int64)
    if has_labels:
        got = number_lists([e.labels for e in entries], 0, "i", parser)
        if got is None or not np.array_equal(got[0], n_box):
            return None
        labels = got[1]
    decided = any(e.hois for e in entries)
    del entries
    return FlatPredictions("hoiscribe", names, n_box, n_hoi, box_values, labels, has_labels, rows,
                           FIELDS["hoiscribe"], decided=decided)  # fmt: skip
