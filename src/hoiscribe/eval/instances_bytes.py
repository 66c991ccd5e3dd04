"""The fredzzhang ``instances_*.json`` GT's per-pair arrays straight from the file's bytes.

msgspec decodes only the skeleton (file names, and per image the four per-pair lists kept as
``Raw`` slices); ``fast_rows.number_lists`` turns the slices into arrays, so no Python number or
list is built for the 33k pairs. Only the shape is settled here: the values (class range,
object agreement, finite ordered boxes) are checked by ``gt_readers``, which owns the rules.
Anything else (a PPDM list, a missing field, a string among the numbers) returns None and the
file is decoded and read as before.
"""

from __future__ import annotations

from typing import NamedTuple

import msgspec
import numpy as np

from hoiscribe.eval.fast_rows import number_lists


class _Annotation(msgspec.Struct, gc=False):
    boxes_h: msgspec.Raw
    boxes_o: msgspec.Raw
    hoi: msgspec.Raw
    object_: msgspec.Raw = msgspec.field(name="object")


class _Instances(msgspec.Struct, gc=False):  # the file's other keys (size, empty, ...) are skipped
    filenames: list[str]
    annotation: list[_Annotation]


_DECODER = msgspec.json.Decoder(_Instances)


class InstancesArrays(NamedTuple):
    """Per-pair arrays of an instances file, pairs in file order."""

    names: list[str]
    pairs_per_image: np.ndarray  # int64, one per annotation
    hoi: np.ndarray  # int64
    object_: np.ndarray  # int64 hicodet object index
    boxes: np.ndarray  # float64 (n, 8): boxes_h then boxes_o


def instances_arrays(raw: bytes) -> InstancesArrays | None:
    """The arrays of an instances file whose per-image lists all agree in length, else None."""
    try:
        data = _DECODER.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    anns = data.annotation
    if len(anns) != len(data.filenames):
        return None  # the record reader says so, naming both counts
    columns = (
        number_lists([a.boxes_h for a in anns], 4, "d"),
        number_lists([a.boxes_o for a in anns], 4, "d"),
        number_lists([a.hoi for a in anns], 0, "i"),
        number_lists([a.object_ for a in anns], 0, "i"),
    )
    if any(c is None for c in columns):
        return None
    (n_h, h), (n_o, o), (n_hoi, hoi), (n_obj, obj) = columns  # type: ignore[misc]
    if not (np.array_equal(n_h, n_hoi) and np.array_equal(n_o, n_hoi) and np.array_equal(n_obj, n_hoi)):
        return None
    return InstancesArrays(data.filenames, n_hoi, hoi, obj, np.concatenate([h, o], axis=1))
