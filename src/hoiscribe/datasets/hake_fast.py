"""The HICO+HAKE reader's packed twin: annotation entries straight to the spill's packed lists.

A run spills each sample as ``codec.pack(sample)``. This module builds those lists from the
parsed entries directly, a chunk of the file at a time (``stream.json_object_chunks``: ~330
images), with no ``Sample``, ``Person`` or ``Box`` objects: the fields are gathered in list
comprehensions, the checks of ``hico._pair`` (types, sizes, HOI ids, the fast path of
``fields.box_xyxy``, known part states) and the box clipping are numpy over the chunk, and so are
the overlaps of the image context (``context.distinct_people`` / ``pair_verbs``: the same
comparisons, computed for every image of the chunk at once). Any image it does not vouch for (a
label that fails a check, a box past the image border, an odd file name) goes through
``hico._image``, the reader's own code, and is packed from its samples: the same drops, with the
same file, record, field and reason. The lists equal ``pack`` of the samples ``stream_hico`` reads
(``tests/datasets/test_hake_fast.py``).

``packed_digest`` is ``Sample.input_digest`` computed from a packed list: the same fields, in the
same order and JSON shape, hashed the same way, so digests (and resume) do not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import orjson

from hoiscribe.core.records import BOX_TOLERANCE_PX
from hoiscribe.datasets.base import NAME_MAX_BYTES, ReadResult, file_exists, safe_join
from hoiscribe.datasets.codec import pack
from hoiscribe.datasets.context import many_images, verb_mask_names
from hoiscribe.datasets.fields import MAX_IMAGE_SIDE
from hoiscribe.datasets.stream import json_object_chunks
from hoiscribe.vocab.hake import HAKE_PARTS, group_states
from hoiscribe.vocab.hico import hico

WHAT = "HAKE instance-level annotation"
_DIGEST_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
_EMPTY: dict[str, Any] = {}
_INT = {int}
_REAL = {int, float}
_PART_AND_STATE = itemgetter("human_part", "partstate")  # (part, state) of one action label, in C
_PLACEHOLDER = [0, 0, 1, 1]  # a box that failed its shape check, so the chunk's arrays keep their shape


@cache
def _known_states() -> frozenset[tuple[int, int]]:
    """Every (human_part, partstate) that ``vocab.hake.part_state`` resolves."""
    groups = group_states()
    return frozenset((p, s) for p, (_, group, _) in enumerate(HAKE_PARTS) for s in range(len(groups[group])))


def _field(labels: list[dict[str, Any]], key: str) -> list[Any]:
    """``label.get(key)`` of each label (subscripts first: most labels have every key)."""
    try:
        return [lab[key] for lab in labels]
    except KeyError:
        return [lab.get(key) for lab in labels]


def _boxes(raw: list[Any], w: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clipped corners per box of ``fields.box_xyxy``'s fast path, and where that path applies."""
    shaped = [type(b) is list and len(b) == 4 for b in raw]
    if not all(shaped):
        raw = [b if ok else _PLACEHOLDER for b, ok in zip(raw, shaped, strict=True)]
    ok = np.array(shaped, bool)
    if not _REAL.issuperset(map(type, chain.from_iterable(raw))):  # a string, a bool, a null: that box only
        typed = [all(type(v) is int or type(v) is float for v in b) for b in raw]
        raw = [b if t else _PLACEHOLDER for b, t in zip(raw, typed, strict=True)]
        ok &= np.array(typed, bool)
    try:
        xy = np.array(list(chain.from_iterable(raw)), dtype=np.float64).reshape(-1, 4)
    except OverflowError:  # an integer past float range: every box of the chunk goes the checked way
        return np.zeros((len(raw), 4)), np.zeros(len(raw), bool)
    x1, y1, x2, y2 = xy[:, 0], xy[:, 1], xy[:, 2], xy[:, 3]
    tol = BOX_TOLERANCE_PX
    ok &= (-tol <= x1) & (x1 < x2) & (x2 <= w + tol) & (-tol <= y1) & (y1 < y2) & (y2 <= h + tol)
    ok &= (x1 < w) & (y1 < h) & (x2 > 0) & (y2 > 0)
    # max(x, 0.0) and min(x, w) as Python picks them (the first argument unless the second is strictly better)
    out = np.stack([np.where(x1 < 0.0, 0.0, x1), np.where(y1 < 0.0, 0.0, y1), np.where(w < x2, w, x2),
                    np.where(h < y2, h, y2)], axis=1)  # fmt: skip
    return out, ok


def _with_size(xy: np.ndarray, ws: list[int], hs: list[int]) -> list[list[Any]]:
    """``codec``'s 6-number boxes: the corners (floats) then the image's width and height (ints)."""
    out = np.empty((len(ws), 6), object)
    out[:, :4] = xy
    out[:, 4] = ws
    out[:, 5] = hs
    return out.tolist()


def _states(raw: list[Any]) -> tuple[list[list[tuple[int, int]]], list[bool]]:
    """``pack``'s part states per ``action_labels`` value, and whether ``hico`` would take it."""
    out: list[list[tuple[int, int]]] = []
    ok: list[bool] = []
    get = _PART_AND_STATE
    for r in raw:
        if type(r) is not list:
            out.append([])
            ok.append(r is None)
            continue
        try:
            out.append(list(map(get, r)))
            ok.append(True)
        except (KeyError, TypeError):  # not a list of objects with both keys
            out.append([])
            ok.append(False)
    flat = list(chain.from_iterable(out))
    if not (_INT.issuperset(map(type, chain.from_iterable(flat))) and _known_states().issuperset(flat)):
        known = _known_states()
        ok = [
            o and all(type(a) is int and type(b) is int and (a, b) in known for a, b in s)
            for s, o in zip(out, ok, strict=True)
        ]
    return out, ok


class _Reader:
    """One pass over the file: packed lists per chunk, the stats and drops in ``result``."""

    def __init__(self, opts: Any, result: ReadResult) -> None:
        self.opts, self.result = opts, result
        self.vocab = hico()
        self.hois = [(h.hoi_idx, h.verb, h.object) for h in self.vocab.hois]
        category = {o: i for i, o in enumerate(dict.fromkeys(h.object for h in self.vocab.hois))}
        self.verb_names = sorted({h.verb for h in self.vocab.hois})  # verb ids in name order: masks decode sorted
        verb_id = {v: i for i, v in enumerate(self.verb_names)}
        self.hoi_category = np.array([category[h.object] for h in self.vocab.hois], np.int64)
        self.hoi_verb = np.array([verb_id[h.verb] for h in self.vocab.hois], np.int64)
        self.prefix = str(opts.image_dir)
        self.pairs = self.matched = 0

    def _image_path(self, name: Any) -> str | None:
        """``str(safe_join(image_dir, name))``; None where it refuses or the image must exist and does not."""
        if (
            type(name) is str
            and 0 < len(name) <= NAME_MAX_BYTES
            and name.isascii()
            and "/" not in name
            and "\\" not in name
            and "\0" not in name
            and name[0] != "~"
            and name not in (".", "..")
            and len(self.prefix) + len(name) < 1000
        ):
            path = f"{self.prefix}/{name}"  # what Path.joinpath gives for one plain part
        else:
            try:
                path = str(safe_join(self.opts.image_dir, name))
            except ValueError:
                return None
        if self.opts.check_images and not file_exists(self.opts.image_dir / name):
            return None
        return path

    def chunk(self, chunk: list[tuple[str, Any]], first_id: int) -> list[list[list[Any]] | None]:
        """Per image entry of the chunk, its packed pairs, or None where ``hico._image`` must read it."""
        spans: list[tuple[int, int, str] | None] = []
        labs: list[Any] = []
        for name, entry in chunk:
            labels = entry.get("labels") if type(entry) is dict else None
            path = self._image_path(name) if type(labels) is list else None
            if path is None:
                spans.append(None)
                continue
            spans.append((len(labs), len(labs) + len(labels), path))
            labs += labels
        d = [lab if type(lab) is dict else _EMPTY for lab in labs]
        ws, hs, hoi_ids = _field(d, "width"), _field(d, "height"), _field(d, "hoi_id")
        n_hois, side = len(self.hois), MAX_IMAGE_SIDE
        good = [
            type(w) is int and type(h) is int and type(i) is int and 0 < w <= side and 0 < h <= side and 0 < i <= n_hois
            for w, h, i in zip(ws, hs, hoi_ids, strict=True)
        ]
        if not all(good):
            ws = [w if g else 1 for w, g in zip(ws, good, strict=True)]
            hs = [h if g else 1 for h, g in zip(hs, good, strict=True)]
            hoi_ids = [i if g else 1 for i, g in zip(hoi_ids, good, strict=True)]
        w_arr, h_arr = np.array(ws, np.float64), np.array(hs, np.float64)
        human_xy, ok_h = _boxes(_field(d, "human_bbox"), w_arr, h_arr)
        object_xy, ok_o = _boxes(_field(d, "object_bbox"), w_arr, h_arr)
        states, ok_s = _states([lab.get("action_labels") for lab in d])
        ok = (ok_h & ok_o & np.array(good, bool) & np.array(ok_s, bool)).tolist() if labs else []
        clean = [span is not None and all(ok[span[0] : span[1]]) for span in spans]
        people, verbs = self._contexts(spans, clean, human_xy, object_xy, hoi_ids)
        humans, objects = _with_size(human_xy, ws, hs), _with_size(object_xy, ws, hs)
        dataset, hois = self.opts.dataset, self.hois
        out: list[list[list[Any]] | None] = []
        for k, span in enumerate(spans):
            if not clean[k]:
                out.append(None)
                continue
            s, e, path = span  # type: ignore[misc]
            name, image_id = chunk[k][0], first_id + k
            out.append([
                ["S", f"{name}#{j - s}", dataset, name, image_id, j - s, ws[j], hs[j], humans[j], None, states[j],
                 [objects[j], hoi[2]], list(hoi), path,
                 {"has_action_labels": "action_labels" in d[j], "people_in_image": people[j],
                  "pair_verbs": verbs[j] or [hoi[1]]}]
                for j, hoi in zip(range(s, e), [hois[i - 1] for i in hoi_ids[s:e]], strict=True)
            ])  # fmt: skip
        if self.opts.halpe is not None:
            for k, pairs in enumerate(out):
                if pairs:
                    self._keypoints(chunk[k][0], pairs)
        return out

    def _contexts(
        self, spans: list[Any], clean: list[bool], humans: np.ndarray, objects: np.ndarray, hoi_ids: list[int]
    ) -> tuple[list[int], list[list[str] | None]]:
        """``hico._contexts`` of the chunk's clean images with more than one pair (``context.many_images``):
        by label position, the people in its image and its pair's verbs."""
        multi = [k for k, span in enumerate(spans) if clean[k] and span[1] - span[0] > 1]
        n = len(hoi_ids)
        if not multi:
            return [1] * n, [None] * n
        starts = np.array([spans[k][0] for k in multi], np.int64)
        sizes = np.array([spans[k][1] - spans[k][0] for k in multi], np.int64)
        rows = np.arange(int(sizes.sum())) + np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
        hoi = np.array(hoi_ids, np.int64)[rows] - 1
        people, masks = many_images(
            np.repeat(np.array(multi, np.int64), sizes), humans[rows], objects[rows], self.hoi_category[hoi],
            self.hoi_verb[hoi],
        )  # fmt: skip
        distinct, which = np.unique(masks, axis=0, return_inverse=True)
        table: list[list[str] | None] = [verb_mask_names(tuple(m), self.verb_names) for m in distinct.tolist()]
        table.append(None)  # index -1: a pair whose image has one pair (its own verb)
        verb_at = np.full(n, -1, np.int64)
        verb_at[rows] = which.reshape(-1)
        n_people = np.ones(n, np.int64)
        n_people[rows] = people
        return n_people.tolist(), [table[i] for i in verb_at.tolist()]

    def _keypoints(self, file_name: str, pairs: list[list[Any]]) -> None:
        found = self.opts.halpe.match_boxes(file_name, [p[8][:4] for p in pairs], self.opts.halpe_iou)
        flat: dict[int, list[Any]] = {}
        for p, kps in zip(pairs, found, strict=True):
            if kps is not None:
                got = flat.get(id(kps))
                if got is None:
                    got = flat[id(kps)] = [kps.layout.name, kps.xyv.reshape(-1).tolist()]
                p[9] = got

    def batches(self) -> Iterator[list[list[Any]]]:
        from hoiscribe.datasets.hico import _count_entries, _image

        opts, result = self.opts, self.result
        limit = opts.max_samples
        images = 0
        for chunk in json_object_chunks(opts.path, WHAT):
            batch: list[list[Any]] = []
            for k, packed in enumerate(self.chunk(chunk, images)):
                if packed is not None and limit is not None and self.pairs + len(packed) > limit:
                    packed = None  # the image the read stops in: its context is that of the pairs read
                if packed is not None:
                    if opts.halpe is not None:
                        self.matched += sum(p[9] is not None for p in packed)
                else:  # the reader's checks: its drops, its samples
                    file_name, entry = chunk[k]
                    samples, n = _image(
                        opts, result.dropped, self.vocab, images + k, file_name, entry, limit, self.pairs
                    )
                    packed = [pack(s) for s in samples]
                    self.matched += n
                batch += packed
                self.pairs += len(packed)
                if limit is not None and self.pairs >= limit:
                    break
            images += len(chunk)
            if batch:
                yield batch
            if limit is not None and self.pairs >= limit:
                break
        result.stats = {
            "images": images if limit is None else _count_entries(opts.path),
            "pairs": self.pairs,
            "dropped": len(result.dropped),
            "keypoints_matched": self.matched if opts.halpe is not None else None,
            "halpe_dropped": len(opts.halpe.dropped) if opts.halpe is not None else None,
        }


def packed_batches(opts: Any, result: ReadResult) -> Iterator[list[list[Any]]]:
    """The packed lists of ``hico._batches``' samples, a chunk of the file at a time."""
    return _Reader(opts, result).batches()


def packed_digest(p: list[Any], images: Any) -> str:
    """``Sample.input_digest(images)`` of the sample ``p`` packs (an ``"S"`` list)."""
    kps, obj = p[9], p[11]
    if kps is not None:
        flat = kps[1]
        kps = (kps[0], [flat[i : i + 3] for i in range(0, len(flat), 3)])  # the K x 3 array, as orjson writes it
    b = p[8]
    data = orjson.dumps(
        (
            p[2], p[3], p[4], p[5], p[6], p[7], (b[0], b[1], b[2], b[3]), kps, p[10],
            None if obj is None else ((obj[0][0], obj[0][1], obj[0][2], obj[0][3]), obj[1]),
            p[12], p[14], images,
        ),
        option=_DIGEST_OPTS,
    )  # fmt: skip
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def packed_digests(packed: list[list[Any]], images: list[Any]) -> list[str]:
    """``packed_digest`` of each ``"S"`` list, with its image identity: one comprehension for the
    common lists (no keypoints, an object), ``packed_digest`` for the others."""
    dumps, opts, blake = orjson.dumps, _DIGEST_OPTS, hashlib.blake2b
    return [
        blake(dumps((p[2], p[3], p[4], p[5], p[6], p[7], p[8][:4], None, p[10], (p[11][0][:4], p[11][1]), p[12],
                     p[14], im), option=opts), digest_size=16).hexdigest()
        if p[9] is None and p[11] is not None
        else packed_digest(p, im)
        for p, im in zip(packed, images, strict=True)
    ]  # fmt: skip
