"""Building pose pairs from a keypoint dataset: normalised poses, their distances, and pairs inside a band.

Kept apart from reading an AutoComPose root (``hoiscribe.pose.reader``), which calls
``read_built_pairs`` for ``build_from`` and shares the per-pose helpers defined here
(``quantized``, ``usable``, ``person_rank``); this module never imports the reader.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.catalog import read_dataset
from hoiscribe.core.records import Keypoints, Person, PosePair, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, load_json_file, safe_join
from hoiscribe.datasets.fields import MISSING, box_xywh, coco_tables, flat_keypoints, image_size, text
from hoiscribe.vocab.keypoints import COCO17, HALPE136

TORSO = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
DEFAULT_BAND = (0.08, 0.5)  # mean keypoint displacement in torso lengths: similar, not identical


def quantized(kps: Keypoints) -> Keypoints:
    """COCO-17 keypoints with coordinates on the 0.01 px grid."""
    xyv = kps.as_coco17().xyv.copy()
    xyv[:, :2] = np.round(xyv[:, :2], 2)
    return Keypoints(xyv, COCO17)


def person_rank(s: Sample) -> tuple[int, float]:
    kps = s.person.keypoints
    return (kps.num_visible if kps is not None else 0, s.person.box.area)


def best_person_per_image(samples: list[Any]) -> dict[str, Sample]:
    """One person per image with keypoints: the one with most visible keypoints, then the largest box."""
    best: dict[str, Sample] = {}
    for s in samples:
        if not isinstance(s, Sample) or s.person.keypoints is None:
            continue
        cur = best.get(s.file_name)
        if cur is None or person_rank(s) > person_rank(cur):
            best[s.file_name] = s
    return best


def usable(kps: Keypoints, min_visible: int) -> str | None:
    """Why keypoints cannot describe a pose (too few visible, no torso), or None."""
    if kps.num_visible < min_visible:
        return f"{kps.num_visible} visible keypoints, need {min_visible}"
    missing = [n for n in TORSO if not kps.visible(n)]
    if missing:
        return f"torso keypoints not visible: {', '.join(missing)}"
    return None


def normalized_pose(kps: Keypoints) -> np.ndarray | None:
    """17 x 2 points centred on the hip midpoint in torso lengths (NaN where not visible); None without a torso."""
    xyv = kps.as_coco17().xyv
    if not all(xyv[COCO17.index(n), 2] > 0 for n in TORSO):
        return None
    pts = xyv[:, :2].astype(np.float64)
    hip = (pts[COCO17.index("left_hip")] + pts[COCO17.index("right_hip")]) / 2
    sh = (pts[COCO17.index("left_shoulder")] + pts[COCO17.index("right_shoulder")]) / 2
    torso = float(np.linalg.norm(sh - hip))
    if torso < 1e-6:
        return None
    out = (pts - hip) / torso
    out[xyv[:, 2] <= 0] = np.nan
    return out


def pose_distances(poses: np.ndarray, min_common: int = 8, block_cells: int = 250_000) -> np.ndarray:
    """N x N mean displacement over keypoints visible in both (NaN with fewer than ``min_common``)."""
    n = len(poses)
    vis = ~np.isnan(poses[:, :, 0])
    filled = np.nan_to_num(poses)
    out = np.full((n, n), np.nan)
    rows = max(1, block_cells // max(n, 1))
    for start in range(0, n, rows):
        a, va = filled[start : start + rows], vis[start : start + rows]
        d = np.linalg.norm(a[:, None] - filled[None], axis=-1)  # rows x n x 17
        both = va[:, None] & vis[None]
        count = both.sum(-1)
        mean = np.where(both, d, 0.0).sum(-1) / np.maximum(count, 1)
        out[start : start + rows] = np.where(count >= min_common, mean, np.nan)
    return out


def build_pairs(
    samples: list[Any],
    band: tuple[float, float] | list[float] = DEFAULT_BAND,
    max_pairs_per_image: int = 2,
    min_visible: int = 8,
    min_common: int = 8,
) -> tuple[list[PosePair], list[Drop], dict[str, Any]]:
    """Pairs of different images whose poses lie inside ``band`` (similar, not identical).

    One person per image (most visible keypoints); each image joins at most
    ``max_pairs_per_image`` pairs, taking pairs nearest the band's middle first.
    """
    lo, hi = float(band[0]), float(band[1])
    if not 0 <= lo < hi:
        raise ValueError(f"band must be 0 <= low < high, got {band!r}")
    drops: list[Drop] = []
    people = best_person_per_image(samples)
    kept: list[tuple[Sample, np.ndarray]] = []
    for name in sorted(people):
        s = people[name]
        kps = s.person.keypoints
        assert kps is not None
        why = usable(kps.as_coco17(), min_visible)
        pose = normalized_pose(kps) if why is None else None
        if pose is None:
            drops.append(Drop(s.dataset, s.sample_id, "keypoints", why or "degenerate torso"))
            continue
        kept.append((s, pose))
    if len(kept) < 2:
        return [], drops, {"people": len(kept), "candidates": 0, "pairs": 0}
    dist = pose_distances(np.stack([p for _, p in kept]), min_common)
    iu, ju = np.triu_indices(len(kept), k=1)
    d = dist[iu, ju]
    ok = ~np.isnan(d) & (d >= lo) & (d <= hi)
    mid = (lo + hi) / 2
    order = sorted(zip(iu[ok], ju[ok], d[ok], strict=True), key=lambda t: (abs(t[2] - mid), t[0], t[1]))
    used: Counter[str] = Counter()
    pairs: list[PosePair] = []
    for i, j, _ in order:
        a, b = kept[i][0], kept[j][0]
        if used[a.file_name] >= max_pairs_per_image or used[b.file_name] >= max_pairs_per_image:
            continue
        used[a.file_name] += 1
        used[b.file_name] += 1
        pairs.append(_pair_of(a, b, len(pairs)))
    stats = {"people": len(kept), "candidates": int(ok.sum()), "pairs": len(pairs)}
    return pairs, drops, stats


def _pair_of(a: Sample, b: Sample, index: int) -> PosePair:
    assert a.person.keypoints is not None and b.person.keypoints is not None
    return PosePair(
        sample_id=f"{a.file_name}->{b.file_name}",
        reference=a.file_name,
        target=b.file_name,
        reference_keypoints=quantized(a.person.keypoints),
        target_keypoints=quantized(b.person.keypoints),
        reference_path=a.image_path,
        target_path=b.image_path,
        img_set=a.dataset,
        reference_size=a.image_size,
        target_size=b.image_size,
        reference_box=a.person.box,
        target_box=b.person.box,
        index=index,
    )


def halpe_samples(path: Path, image_dir: Path, max_bytes: int | None = None) -> ReadResult:
    """People of a Halpe full-body file (COCO format, 136 points) as pose-only samples."""
    path = Path(path)
    tables = coco_tables(load_json_file(path, "Halpe keypoint file", max_bytes), path, require_ids=False)
    result = ReadResult(samples=[], dropped=tables.dropped)
    for rec, ann_id, ann in tables.annotations:
        img = tables.images[ann["image_id"]]
        try:
            file_name = text(img.get("file_name", MISSING), "file_name")
            try:
                image_path = safe_join(Path(image_dir), file_name)
            except ValueError as exc:
                raise RecordError("file_name", str(exc)) from None
            w, h = image_size(img.get("width", MISSING), img.get("height", MISSING))
            box = box_xywh(ann.get("bbox", MISSING), (w, h), "bbox")
            kps = flat_keypoints(ann.get("keypoints", MISSING), HALPE136)
        except RecordError as exc:
            result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
            continue
        result.samples.append(
            Sample(
                sample_id=f"{file_name}#{ann_id}",
                dataset="halpe",
                file_name=file_name,
                image_id=ann["image_id"],
                instance_id=ann_id,
                width=w,
                height=h,
                person=Person(box=box, keypoints=kps),
                image_path=str(image_path),
            )
        )
    return result


def read_built_pairs(
    root: Path,
    split: str,
    max_samples: int | None,
    build_from: str,
    keypoints: str | None,
    band: tuple[float, float] | list[float],
    max_pairs_per_image: int,
    min_visible: int,
) -> ReadResult:
    """Pairs built from a keypoint dataset under ``root`` (``halpe``: the file given by ``keypoints``)."""
    if build_from == "halpe":
        if not keypoints:
            raise DatasetError("build_from: halpe needs keypoints: <path of the Halpe JSON>")
        source = halpe_samples(safe_join(root, keypoints) if not Path(keypoints).is_absolute() else Path(keypoints),
                               root / split)  # fmt: skip
    else:
        source = read_dataset(build_from, root, split)
    pairs, drops, stats = build_pairs(source.samples, band, max_pairs_per_image, min_visible)
    result = ReadResult(samples=[], dropped=list(source.dropped) + drops)
    for p in pairs:
        missing = [n for n, path in ((p.reference, p.reference_path), (p.target, p.target_path))
                   if path is None or not Path(path).is_file()]  # fmt: skip
        if missing:
            result.dropped.append(Drop(build_from, p.sample_id, "image", f"image not found: {missing[0]}"))
            continue
        result.samples.append(p)
        if max_samples is not None and len(result.samples) >= max_samples:
            break
    result.stats = {"dataset": "pose_pairs", "built_from": build_from, **stats, "kept": len(result.samples),
                    "dropped": len(result.dropped)}  # fmt: skip
    return result
