"""Writing an AutoComPose root: the caption JSON, the gallery split and hoiscribe's keypoint file.

The layout is described in ``hoiscribe.pose.reader``, which reads it back. Writing is kept
apart from reading because its users (the export in ``pose.autocompose``, the demo set,
built pairs) need none of the reader; the names and paths both sides share
(``CAPTION_FIELDS``, ``captions_path``, ``keypoints_path``) live here, so the reader imports
this module and never the reverse.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from hoiscribe.core.records import PosePair
from hoiscribe.datasets.base import safe_join

CAPTION_FIELDS = ("sents", "auto", "auto-reverse", "mllm", "reverse", "mirror", "mirror-reverse")


def captions_path(root: Path, split: str) -> Path:
    return Path(root) / "captions" / f"{split}.json"


def keypoints_path(root: Path, split: str) -> Path:
    return Path(root) / "keypoints" / f"{split}.json"


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def caption_record(pair: PosePair) -> dict[str, Any]:
    """One AutoComPose caption entry: the pair's names, img_set, extra fields and every description list."""
    rec: dict[str, Any] = {"reference": pair.reference, "target": pair.target, "img_set": pair.img_set}
    rec.update(pair.extra)
    for name in CAPTION_FIELDS:
        if name in pair.captions:
            rec[name] = list(pair.captions[name])
    for name, texts in pair.captions.items():
        if name not in rec:
            rec[name] = list(texts)
    return rec


def write_captions(path: Path, records: list[dict[str, Any]]) -> Path:
    """The caption JSON, written atomically (indented like the published files)."""
    write_atomic(Path(path), json.dumps(records, indent=2, ensure_ascii=False).encode())
    return Path(path)


def gallery(pairs_or_records: list[Any]) -> list[str]:
    """Image names of a split's gallery: every reference and target, first-seen order."""
    seen: dict[str, None] = {}
    for p in pairs_or_records:
        ref, tgt = (p["reference"], p["target"]) if isinstance(p, dict) else (p.reference, p.target)
        seen.setdefault(ref)
        seen.setdefault(tgt)
    return list(seen)


def keypoint_file(pairs: list[PosePair]) -> dict[str, Any]:
    """The keypoint file for ``pairs`` (one person per image name)."""
    images: dict[str, Any] = {}
    for p in pairs:
        for name, kps, size, box in (
            (p.reference, p.reference_keypoints, p.reference_size, p.reference_box),
            (p.target, p.target_keypoints, p.target_size, p.target_box),
        ):
            entry: dict[str, Any] = {"keypoints": kps.as_coco17().as_flat()}
            if size is not None:
                entry["width"], entry["height"] = int(size[0]), int(size[1])
            if box is not None:
                entry["bbox"] = [round(v, 2) for v in box.as_xywh()]
            images.setdefault(name, entry)
    return {"layout": "coco17", "images": images}


def write_pose_pairs(root: Path, split: str, pairs: list[PosePair], copy_images: bool = False) -> Path:
    """Write captions, gallery split and keypoint file under ``root``; optionally copy the images in."""
    root = Path(root)
    write_captions(captions_path(root, split), [caption_record(p) for p in pairs])
    write_atomic(root / "image_splits" / f"{split}.json", json.dumps(gallery(pairs), indent=1).encode())
    write_atomic(keypoints_path(root, split), json.dumps(keypoint_file(pairs)).encode())
    if copy_images:
        for p in pairs:
            for name, src in ((p.reference, p.reference_path), (p.target, p.target_path)):
                dst = safe_join(root / "images", name)
                if src is not None and not dst.exists():
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)
    return root
