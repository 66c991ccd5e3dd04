"""Halpe full-body keypoints (COCO-format JSON, 136 points) indexed for joining by box IoU."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from hoiscribe.core.records import Box, Keypoints, RecordError
from hoiscribe.datasets.base import DatasetError, load_json_file
from hoiscribe.vocab.keypoints import HALPE136


class HalpeIndex:
    """Per-image person boxes and keypoints, to attach to HICO pairs."""

    def __init__(self, by_file: dict[str, list[tuple[np.ndarray, Keypoints]]], path: Path) -> None:
        self.by_file = by_file
        self.path = path

    @classmethod
    def from_file(cls, path: Path) -> HalpeIndex:
        data = load_json_file(Path(path), "Halpe keypoint file")
        if not isinstance(data, dict) or "images" not in data or "annotations" not in data:
            raise DatasetError(f"{path}: not a COCO-format file (needs 'images' and 'annotations')")
        names = {img["id"]: img["file_name"] for img in data["images"] if "id" in img and "file_name" in img}
        by_file: dict[str, list[tuple[np.ndarray, Keypoints]]] = defaultdict(list)
        for ann in data["annotations"]:
            name = names.get(ann.get("image_id"))
            bbox = ann.get("bbox")
            if name is None or not isinstance(bbox, list) or len(bbox) != 4:
                continue
            try:
                kps = Keypoints.from_flat(ann.get("keypoints"), HALPE136)
            except RecordError:
                continue  # a malformed Halpe entry only means that person gets no keypoints
            x, y, w, h = (float(v) for v in bbox)
            by_file[name].append((np.array([x, y, x + w, y + h]), kps))
        return cls(dict(by_file), Path(path))

    def match(self, file_name: str, box: Box, min_iou: float = 0.5) -> Keypoints | None:
        """Keypoints of the Halpe person whose box best overlaps ``box`` (IoU >= min_iou)."""
        candidates = self.by_file.get(file_name)
        if not candidates:
            return None
        boxes = np.stack([c[0] for c in candidates])
        ix = np.clip(np.minimum(boxes[:, 2], box.x2) - np.maximum(boxes[:, 0], box.x1), 0, None)
        iy = np.clip(np.minimum(boxes[:, 3], box.y2) - np.maximum(boxes[:, 1], box.y1), 0, None)
        inter = ix * iy
        union = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) + box.area - inter
        iou = np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)
        best = int(iou.argmax())
        return candidates[best][1] if iou[best] >= min_iou else None
