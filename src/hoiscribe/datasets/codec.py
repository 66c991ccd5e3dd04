"""Samples to plain JSON values and back, exactly: how a run spills read samples to disk.

A ``Sample`` becomes a flat list (boxes as 6 numbers, part states as their two ids, keypoints
as their layout name and flat values) that orjson writes in about a microsecond and that
rebuilds without re-checking what its reader checked. Anything else (``PosePair``, a plug-in
reader's record, a ``Sample`` whose ``extra`` holds more than JSON values) is pickled, so every
reader's records round-trip; JSON would turn a tuple into a list, so only plain JSON is let through.
"""

from __future__ import annotations

import base64
import io
import pickle
from typing import Any

import numpy as np

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
