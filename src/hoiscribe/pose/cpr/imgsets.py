"""Filling each pair's img_set group: its target plus the K gallery poses nearest the target.

Subset recall (Rs@K) ranks a query's target among a small group of look-alikes; generated
data has no such groups (img_set holds the split name), so they are built from keypoints:
the distance between two poses is the mean displacement of the keypoints visible in both,
after centring on the hips and scaling by the torso (``pose.pairing.normalized_pose``). The
reference is never a member (it is removed from every ranking anyway). Images without
usable keypoints are left out of groups and counted; an entry whose target has none keeps
its img_set. The caption file is rewritten whole, every other field as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.core.records import RecordError
from hoiscribe.datasets.base import load_json_file
from hoiscribe.datasets.fields import flat_keypoints
from hoiscribe.pose.captions import keypoints_path, write_atomic
from hoiscribe.pose.cpr.data import CprDataError, load_captions
from hoiscribe.pose.pairing import normalized_pose
from hoiscribe.pose.reader import LAYOUTS


def _poses(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Normalised 17 x 2 poses per image name from hoiscribe's keypoint file, and why others have none."""
    if not path.is_file():
        raise CprDataError(f"img-sets needs hoiscribe's keypoint file, not found: {path}")
    data = load_json_file(path, "pose keypoint file")
    if not isinstance(data, dict) or not isinstance(data.get("images"), dict):
        raise CprDataError(f"{path}: expected {{'layout': ..., 'images': {{name: entry}}}}")
    layout = LAYOUTS.get(data.get("layout", "coco17"))
    if layout is None:
        raise CprDataError(f"{path}: layout must be one of {', '.join(LAYOUTS)}, got {data.get('layout')!r}")
    poses, missing = {}, {}
    for name, entry in data["images"].items():
        try:
            kps = flat_keypoints(entry.get("keypoints") if isinstance(entry, dict) else None, layout)
        except RecordError as exc:
            missing[name] = f"keypoints: {exc}"
            continue
        pose = normalized_pose(kps)
        if pose is None:
            missing[name] = "no visible torso"
        else:
            poses[name] = pose
    return poses, missing


def distances(a: np.ndarray, b: np.ndarray, min_common: int = 8, block: int = 256) -> np.ndarray:
    """len(a) x len(b) mean displacement over keypoints visible in both (inf with fewer than ``min_common``)."""
    va, vb = ~np.isnan(a[:, :, 0]), ~np.isnan(b[:, :, 0])
    fa, fb = np.nan_to_num(a), np.nan_to_num(b)
    out = np.empty((len(a), len(b)))
    for s in range(0, len(a), block):
        d = np.linalg.norm(fa[s : s + block, None] - fb[None], axis=-1)
        both = va[s : s + block, None] & vb[None]
        count = both.sum(-1)
        mean = np.where(both, d, 0.0).sum(-1) / np.maximum(count, 1)
        out[s : s + block] = np.where(count >= min_common, mean, np.inf)
    return out


def fill_img_sets(root: Path, split: str, k: int = 5, output: Path | None = None,
                  keypoints: Path | None = None) -> dict[str, Any]:  # fmt: skip
    """Write each entry's group (target + K nearest gallery poses) into the caption file; return counts."""
    if k < 1:
        raise ValueError(f"k must be 1 or more, got {k}")
    root = Path(root)
    cap, entries = load_captions(root, split)
    poses, _ = _poses(Path(keypoints) if keypoints else keypoints_path(root, split))
    split_file = root / "image_splits" / f"{split}.json"
    gallery_names = load_json_file(split_file, "gallery split") if split_file.is_file() else None
    if gallery_names is None:
        gallery_names = [n for e in entries if isinstance(e, dict) for n in (e.get("reference"), e.get("target"))]
    gallery = [n for n in dict.fromkeys(gallery_names) if isinstance(n, str) and n in poses]
    if not gallery:
        raise CprDataError(f"{split_file}: no gallery image has usable keypoints in the keypoint file")
    position = {n: i for i, n in enumerate(gallery)}
    rows = [i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("target") in poses]
    targets = list(dict.fromkeys(entries[i]["target"] for i in rows))
    gal = np.stack([poses[n] for n in gallery])
    dist = distances(np.stack([poses[t] for t in targets]), gal) if targets else np.zeros((0, len(gallery)))
    row_of = {t: j for j, t in enumerate(targets)}
    filled = 0
    for i in rows:
        e = entries[i]
        d = dist[row_of[e["target"]]].copy()
        for name in (e["target"], e.get("reference")):
            if name in position:
                d[position[name]] = np.inf
        order = [j for j in np.argsort(d, kind="stable")[:k] if np.isfinite(d[j])]
        e["img_set"] = [e["target"], *(gallery[j] for j in order)]
        filled += 1
    out = Path(output) if output else cap
    write_atomic(out, json.dumps(entries, indent=2, ensure_ascii=False).encode())
    no_pose = sum(1 for e in entries if not isinstance(e, dict) or e.get("target") not in poses)
    return {"captions": str(out), "entries": len(entries), "filled": filled, "k": k,
            "targets without keypoints": no_pose, "gallery": len(gallery),
            "gallery images without keypoints": len(set(gallery_names) - set(gallery))}  # fmt: skip
