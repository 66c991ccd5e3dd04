"""Samples to plain JSON values and back, exactly: how a run spills read samples to disk.

A ``Sample`` becomes a flat list (boxes as 6 numbers, part states as their two ids, keypoints
as their layout name and flat values) that orjson writes in about a microsecond and that
rebuilds without re-checking what its reader checked. ``Packed`` keeps such a list as it came off
the spill, for the run layer's direct path: a task that can read the list (``Task.facts_packed``)
and ``packed_record`` (the seed record, equal to ``as_record()``) never build the ``Sample``; anything
else about it unpacks it once, on first use. Anything else (``PosePair``, a plug-in
reader's record, a ``Sample`` whose ``extra`` holds more than JSON values) is pickled, so every
reader's records round-trip; JSON would turn a tuple into a list, so only plain JSON is let through.
"""

from __future__ import annotations

import base64
import io
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson

from hoiscribe.core.records import Box, Interaction, Keypoints, Object, Person, Sample
from hoiscribe.vocab.hake import PartState, part_state
from hoiscribe.vocab.keypoints import COCO17, HALPE136, KeypointLayout

_LAYOUTS: dict[str, KeypointLayout] = {COCO17.name: COCO17, HALPE136.name: HALPE136}
_STATES: dict[tuple[int, int], PartState] = {}


def _plain(value: Any) -> bool:
    """JSON values that come back from JSON as they went in (no tuples, no non-string keys)."""
    t = type(value)
    if t is str or t is int or t is float or t is bool or value is None:
        return True
    if t is list:
        return all(_plain(v) for v in value)
    if t is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _box(b: Box) -> list[Any]:
    return [b.x1, b.y1, b.x2, b.y2, b.width, b.height]


def pack(sample: Any) -> list[Any]:
    """A JSON-able list that ``unpack`` turns back into an equal sample."""
    if type(sample) is Sample and _plain(sample.extra) and _packable(sample):
        p, o, i = sample.person, sample.object, sample.interaction
        kps = p.keypoints
        return [
            "S", sample.sample_id, sample.dataset, sample.file_name, sample.image_id, sample.instance_id,
            sample.width, sample.height, _box(p.box),
            None if kps is None else [kps.layout.name, kps.xyv.reshape(-1).tolist()],
            [(s.part_id, s.state_idx) for s in p.part_states],
            None if o is None else [_box(o.box), o.category],
            None if i is None else [i.hoi_idx, i.verb, i.object],
            sample.image_path, sample.extra,
        ]  # fmt: skip
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(sample)
    return ["P", base64.b64encode(buf.getvalue()).decode("ascii")]


class _Pickler(pickle.Pickler):
    """Keypoint layouts by name: code compares them by identity (``layout is COCO17``)."""

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, KeypointLayout) and _LAYOUTS.get(obj.name) is obj:
            return ("layout", obj.name)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, name = pid
        if kind != "layout":
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return _LAYOUTS[name]


def _packable(sample: Sample) -> bool:
    """Fields whose exact types JSON keeps (the HICO, COCO and demo readers' samples all are)."""
    kps = sample.person.keypoints
    if kps is not None and (_LAYOUTS.get(kps.layout.name) is not kps.layout or kps.xyv.dtype != np.float64):
        return False
    return all(type(v) is int for v in (sample.image_id, sample.instance_id, sample.width, sample.height)) and (
        sample.image_path is None or type(sample.image_path) is str
    )


def _state(part: int, state: int) -> PartState:
    ps = _STATES.get((part, state))
    if ps is None:
        ps = _STATES[(part, state)] = part_state(part, state)
    return ps


def unpack(data: list[Any]) -> Any:
    """The sample ``pack`` wrote."""
    if data[0] == "P":
        return _Unpickler(io.BytesIO(base64.b64decode(data[1]))).load()
    _, sid, dataset, file_name, image_id, instance_id, width, height, box, kps, states, obj, inter, path, extra = data
    keypoints = None
    if kps is not None:
        layout = _LAYOUTS[kps[0]]
        keypoints = Keypoints(np.array(kps[1], dtype=np.float64).reshape(len(layout), 3), layout)
    known = _STATES
    part_states = tuple(known.get((a, b)) or _state(a, b) for a, b in states)
    if obj is not None:
        b = obj[0]
        obj = Object(Box(b[0], b[1], b[2], b[3], b[4], b[5]), obj[1])
    return Sample(
        sid,
        dataset,
        file_name,
        image_id,
        instance_id,
        width,
        height,
        Person(Box(box[0], box[1], box[2], box[3], box[4], box[5]), keypoints, part_states),
        obj,
        None if inter is None else Interaction(inter[0], inter[1], inter[2]),
        path,
        extra,
    )


# positions in an "S" list (``pack``): what readers of packed samples index by
SAMPLE_ID, FILE_NAME, IMAGE_ID, INSTANCE_ID, WIDTH, HEIGHT = 1, 3, 4, 5, 6, 7
BOX, KEYPOINTS, STATES, OBJECT, HOI, EXTRA = 8, 9, 10, 11, 12, 14


_ZEROS = [0.0] * 51  # the seed record's keypoints of a person without any (``core.records``)


def part_state_of(part_id: int, state_idx: int) -> PartState:
    """The (cached) ``PartState`` of a packed part state."""
    return _STATES.get((part_id, state_idx)) or _state(part_id, state_idx)


def _int_box(b: list[Any], _whole: Any = float.is_integer) -> list[Any]:
    """``core.records._int_box`` of a packed box's corners (floats: integers stay integers, else 2 decimals);
    whole-pixel corners (nearly every box) without the per-value branch."""
    x0, y0, x1, y1 = b[0], b[1], b[2], b[3]
    try:
        if _whole(x0) and _whole(y0) and _whole(x1) and _whole(y1):
            return [int(x0), int(y0), int(x1), int(y1)]
    except TypeError:  # not a float (a hand-made packed list): the per-value way below
        pass
    return [int(v) if v.is_integer() else round(v, 2) for v in (x0, y0, x1, y1)]


# the keys of every record ``packed_record``/``packed_record_parts`` write: what a merge splicing other
# fields into those bytes needs to know (``run.parts.merged_lines``)
PACKED_RECORD_KEYS = frozenset({"file_name", "image_id", "keypoints", "vis", "instance_id", "height", "width",
                                "human_bbox", "action_labels", "object_bbox", "hoi_id", "verb", "object"})  # fmt: skip


def packed_record(data: list[Any]) -> dict[str, Any] | None:
    """``unpack(data).as_record()`` without the ``Sample``, for packed samples without keypoints (the
    seed fields of the others need the keypoint arrays: None, and the caller unpacks)."""
    if data[0] != "S" or data[KEYPOINTS] is not None:
        return None
    return _seed_fields(data, list(_ZEROS), [0] * 51)


def _label_dicts(states: list[Any]) -> list[dict[str, int]]:
    return [{"human_part": a, "partstate": b} for a, b in states]


def _seed_fields(
    data: list[Any], keypoints: Any, vis: Any, labels: Callable[[list[Any]], Any] = _label_dicts
) -> dict[str, Any]:
    """The seed record's fields of a packed sample without keypoints, with the given zero keypoints/vis and
    ``action_labels`` built by ``labels`` (dicts, or their JSON written once: ``_action_labels``)."""
    rec: dict[str, Any] = {"file_name": data[FILE_NAME], "image_id": data[IMAGE_ID], "keypoints": keypoints,
                           "vis": vis, "instance_id": data[INSTANCE_ID], "height": data[HEIGHT],
                           "width": data[WIDTH], "human_bbox": _int_box(data[BOX])}  # fmt: skip
    obj, hoi = data[OBJECT], data[HOI]
    if hoi is not None and obj is not None:
        rec["action_labels"] = labels(data[STATES])
        rec["object_bbox"] = _int_box(obj[0])
        rec["hoi_id"] = hoi[0] + 1
        rec["verb"] = hoi[1]
        rec["object"] = hoi[2]
    return rec


_ZERO_KEYPOINTS = orjson.Fragment(orjson.dumps(_ZEROS))  # the same bytes, written once
_ZERO_VIS = orjson.Fragment(orjson.dumps([0] * 51))


def packed_record_line(data: list[Any]) -> bytes | None:
    """``[sort key] TAB record`` of ``packed_record(data)``, the bytes ``orjson`` writes for them; None as there."""
    got = packed_record_parts(data)
    return None if got is None else got[1] + b"\t" + got[2] + b"\n"


def packed_record_parts(data: list[Any]) -> tuple[list[Any], bytes, bytes] | None:
    """(sort key, its JSON, the record's JSON) of ``packed_record(data)``: the bytes ``orjson`` writes for
    them, built without the record's 102 zero keypoint values (written once, as fragments) and with each
    distinct list of part states written once (``_action_labels``); None as there."""
    if data[0] != "S" or data[KEYPOINTS] is not None:
        return None
    rec = _seed_fields(data, _ZERO_KEYPOINTS, _ZERO_VIS, _action_labels)
    key = [data[IMAGE_ID], data[INSTANCE_ID], data[FILE_NAME], data[SAMPLE_ID]]
    return key, orjson.dumps(key), orjson.dumps(rec)


_LABELS: dict[bytes, orjson.Fragment] = {}  # a packed list of part states -> its action_labels' JSON
_LABELS_MAX = 65_536  # a few hundred distinct lists on HICO-DET; cleared if a dataset has far more


def _action_labels(states: list[Any]) -> orjson.Fragment:
    """The seed record's ``action_labels`` of packed part states, as the JSON bytes orjson writes for them:
    most pairs share one of a few hundred lists, so each is built and written once."""
    key = orjson.dumps(states)
    got = _LABELS.get(key)
    if got is None:
        if len(_LABELS) >= _LABELS_MAX:
            _LABELS.clear()
        got = _LABELS[key] = orjson.Fragment(orjson.dumps(_label_dicts(states)))
    return got


class Packed:
    """A spilled sample as its packed list (``data``), with its ``sample_id``; every other attribute
    is the unpacked sample's, built on first use (paths that need the ``Sample`` still get it)."""

    __slots__ = ("_sample", "data", "sample_id")

    def __init__(self, data: list[Any]) -> None:
        self.data = data
        self._sample: Any = None
        self.sample_id: str = data[SAMPLE_ID] if data[0] == "S" else self.unpacked().sample_id

    def unpacked(self) -> Any:
        if self._sample is None:
            self._sample = unpack(self.data)
        return self._sample

    def as_record(self) -> dict[str, Any]:
        rec = packed_record(self.data)
        return rec if rec is not None else self.unpacked().as_record()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # an unset slot (copy, pickle): never unpack for it
            raise AttributeError(name)
        return getattr(self.unpacked(), name)
