"""Halpe full-body keypoints (COCO-format JSON, 136 points) indexed for joining by box IoU."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from hoiscribe.core.records import Box, Keypoints, RecordError
from hoiscribe.datasets.base import Drop, load_json_file
from hoiscribe.datasets.fields import MISSING, coco_tables, flat_keypoints, text, xywh
from hoiscribe.vocab.keypoints import HALPE136


class HalpeIndex:
    """Per-image person boxes and keypoints, to attach to HICO pairs.

    A malformed Halpe person only means that person gets no keypoints: it is listed in
    ``dropped`` (file, annotation, field, reason), and the HICO reader reports it."""

    def __init__(
        self, by_file: dict[str, list[tuple[np.ndarray, Keypoints]]], path: Path, dropped: list[Drop] | None = None
    ) -> None:
        self.by_file = by_file
        self.path = path
        self.dropped = dropped or []
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def from_file(cls, path: Path, max_bytes: int | None = None) -> HalpeIndex:
        path = Path(path)
        tables = coco_tables(load_json_file(path, "Halpe keypoint file", max_bytes), path, require_ids=False)
        dropped = tables.dropped
        names: dict[int, str | tuple[str, str]] = {}  # image id -> file name, or (field, reason) why not
        by_file: dict[str, list[tuple[np.ndarray, Keypoints]]] = defaultdict(list)
        for rec, _, ann in tables.annotations:
            image_id = ann["image_id"]
            name = names.get(image_id)
            if name is None:
                try:
                    name = text(tables.images[image_id].get("file_name", MISSING), "file_name")
                except RecordError as exc:
                    name = (exc.field, f"image {image_id}: {exc.reason}")
                names[image_id] = name
            try:
                if type(name) is tuple:
                    raise RecordError(*name)
                x, y, w, h = xywh(ann.get("bbox", MISSING), "bbox")
                kps = flat_keypoints(ann.get("keypoints", MISSING), HALPE136)
            except RecordError as exc:
                dropped.append(Drop(str(path), rec, exc.field, f"{exc.reason} (this person gets no keypoints)"))
                continue
            by_file[name].append((np.array([x, y, x + w, y + h]), kps))
        return cls(dict(by_file), path, dropped)

    def _stacked(self, file_name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The file's Halpe boxes as one N x 4 array and their areas, built on first use."""
        got = self._arrays.get(file_name)
        if got is None:
            candidates = self.by_file.get(file_name)
            if not candidates:
                return None
            boxes = np.stack([c[0] for c in candidates])
            got = self._arrays[file_name] = (boxes, (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))
        return got

    def match(self, file_name: str, box: Box, min_iou: float = 0.5) -> Keypoints | None:
        """Keypoints of the Halpe person whose box best overlaps ``box`` (IoU >= min_iou)."""
        return self.match_boxes(file_name, [box.as_xyxy()], min_iou)[0]

    def match_boxes(self, file_name: str, boxes: list[list[float]], min_iou: float = 0.5) -> list[Keypoints | None]:
        """``match`` for every person box of one image at once: one IoU matrix over the image's distinct
        boxes (HICO repeats a person per pair) against its Halpe people."""
        stacked = self._stacked(file_name)
        if stacked is None:
            return [None] * len(boxes)
        halpe, halpe_area = stacked
        distinct = list(dict.fromkeys(map(tuple, boxes)))
        q = np.array(distinct, dtype=np.float64)
        h, b = halpe[None, :, :], q[:, None, :]
        ix = np.clip(np.minimum(h[..., 2], b[..., 2]) - np.maximum(h[..., 0], b[..., 0]), 0, None)
        iy = np.clip(np.minimum(h[..., 3], b[..., 3]) - np.maximum(h[..., 1], b[..., 1]), 0, None)
        inter = ix * iy
        union = halpe_area[None, :] + ((q[:, 2] - q[:, 0]) * (q[:, 3] - q[:, 1]))[:, None] - inter
        iou = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
        best = iou.argmax(axis=1)
        candidates = self.by_file[file_name]
        found = {
            key: candidates[int(b)][1] if iou[i, b] >= min_iou else None
            for i, (key, b) in enumerate(zip(distinct, best, strict=True))
        }
        return [found[tuple(b)] for b in boxes]
