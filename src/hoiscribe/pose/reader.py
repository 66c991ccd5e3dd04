"""Pose pairs in the AutoComPose layout: caption JSON, gallery splits, and a keypoint file.

Layout under a root::

    captions/{split}.json      list of {reference, target, img_set, sents, auto, ..., mirror-reverse}
    image_splits/{split}.json  list of gallery image names
    images/<name>              the pose images named in the captions
    keypoints/{split}.json     {"layout": "coco17" | "halpe136",
                                "images": {<name>: {"width", "height", "keypoints": [x, y, v, ...],
                                                    "bbox": [x, y, w, h] (optional)}}}

The keypoint file is hoiscribe's (AutoComPose ships none); keypoints may instead come from
a join with any keypoint dataset by image file name. Pairs can also be built from a keypoint
dataset (COCO, Halpe, the demo set) by normalised-pose distance inside a band. Coordinates
are rounded to 0.01 px on reading, which keeps mirroring exact.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from hoiscribe.catalog import read_dataset
from hoiscribe.core.records import Box, Keypoints, Person, PosePair, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, load_json_file, safe_join
from hoiscribe.vocab.keypoints import COCO17, HALPE136

CAPTION_FIELDS = ("sents", "auto", "auto-reverse", "mllm", "reverse", "mirror", "mirror-reverse")
LAYOUTS = {"coco17": COCO17, "halpe136": HALPE136}
TORSO = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
DEFAULT_BAND = (0.08, 0.5)  # mean keypoint displacement in torso lengths: similar, not identical


def captions_path(root: Path, split: str) -> Path:
    return Path(root) / "captions" / f"{split}.json"


def keypoints_path(root: Path, split: str) -> Path:
    return Path(root) / "keypoints" / f"{split}.json"


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def quantized(kps: Keypoints) -> Keypoints:
    """COCO-17 keypoints with coordinates on the 0.01 px grid."""
    xyv = kps.as_coco17().xyv.copy()
    xyv[:, :2] = np.round(xyv[:, :2], 2)
    return Keypoints(xyv, COCO17)


# ---------------------------------------------------------------- caption records


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
    _write(Path(path), json.dumps(records, indent=2, ensure_ascii=False).encode())
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
    _write(root / "image_splits" / f"{split}.json", json.dumps(gallery(pairs), indent=1).encode())
    _write(keypoints_path(root, split), json.dumps(keypoint_file(pairs)).encode())
    if copy_images:
        for p in pairs:
            for name, src in ((p.reference, p.reference_path), (p.target, p.target_path)):
                dst = safe_join(root / "images", name)
                if src is not None and not dst.exists():
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)
    return root


# ---------------------------------------------------------------- reading


class _KeypointSource:
    """Image name -> (keypoints, size, box) from the keypoint file or a joined dataset."""

    def __init__(self, entries: dict[str, Any], layout: Any, where: str) -> None:
        self.entries, self.layout, self.where = entries, layout, where

    @classmethod
    def from_file(cls, path: Path) -> _KeypointSource:
        data = load_json_file(path, "pose keypoint file")
        if not isinstance(data, dict) or not isinstance(data.get("images"), dict):
            raise DatasetError(f"{path}: expected {{'layout': ..., 'images': {{name: entry}}}}")
        layout = LAYOUTS.get(data.get("layout", "coco17"))
        if layout is None:
            raise DatasetError(f"{path}: layout must be one of {', '.join(LAYOUTS)}, got {data.get('layout')!r}")
        return cls(data["images"], layout, str(path))

    @classmethod
    def from_samples(cls, samples: list[Any], where: str) -> _KeypointSource:
        """One person per image: the one with most visible keypoints, then the largest box."""
        best: dict[str, Sample] = {}
        for s in samples:
            if not isinstance(s, Sample) or s.person.keypoints is None:
                continue
            cur = best.get(s.file_name)
            if cur is None or _rank(s) > _rank(cur):
                best[s.file_name] = s
        return cls({k: s for k, s in best.items()}, COCO17, where)

    def get(self, name: str) -> tuple[Keypoints, tuple[int, int] | None, Box | None]:
        """``KeyError`` when the image has no entry, ``RecordError`` for a malformed one."""
        entry = self.entries[name]
        if isinstance(entry, Sample):
            assert entry.person.keypoints is not None  # from_samples keeps people with keypoints only
            return quantized(entry.person.keypoints), entry.image_size, entry.person.box
        if not isinstance(entry, dict):
            raise RecordError("keypoints", f"entry for {name!r} is not an object")
        kps = quantized(Keypoints.from_flat(entry.get("keypoints"), self.layout))
        w, h = entry.get("width"), entry.get("height")
        size = (w, h) if isinstance(w, int) and isinstance(h, int) and w > 0 and h > 0 else None
        box = None
        if entry.get("bbox") is not None and size is not None:
            box = Box.from_xywh(entry["bbox"], size, "bbox")
        return kps, size, box


def _rank(s: Sample) -> tuple[int, float]:
    kps = s.person.keypoints
    return (kps.num_visible if kps is not None else 0, s.person.box.area)


def usable(kps: Keypoints, min_visible: int) -> str | None:
    """Why keypoints cannot describe a pose (too few visible, no torso), or None."""
    if kps.num_visible < min_visible:
        return f"{kps.num_visible} visible keypoints, need {min_visible}"
    missing = [n for n in TORSO if not kps.visible(n)]
    if missing:
        return f"torso keypoints not visible: {', '.join(missing)}"
    return None


def read_pose_pairs(
    root: Path,
    split: str = "train",
    max_samples: int | None = None,
    keypoints: str | None = None,
    min_visible: int = 8,
    check_images: bool = True,
    join_dataset: str | None = None,
    join_root: str | None = None,
    join_split: str | None = None,
    build_from: str | None = None,
    band: tuple[float, float] | list[float] = DEFAULT_BAND,
    max_pairs_per_image: int = 2,
    dataset: str = "pose_pairs",
) -> ReadResult:
    """Pose pairs from an AutoComPose root, or built from a keypoint dataset (``build_from``).

    Keypoints come from ``keypoints`` (default ``keypoints/{split}.json``) or, with
    ``join_dataset``, from that dataset's people joined by image file name. Pairs whose
    images are missing or whose poses lack visible keypoints are dropped with the reason.
    """
    root = Path(root)
    if build_from is not None:
        return _built(root, split, max_samples, build_from, keypoints, band, max_pairs_per_image, min_visible)
    cap_path = captions_path(root, split)
    data = load_json_file(cap_path, "caption JSON")
    if not isinstance(data, list):
        raise DatasetError(f"{cap_path}: expected a list of pair records")
    if join_dataset is not None:
        joined = read_dataset(join_dataset, Path(join_root) if join_root else root, join_split)
        source = _KeypointSource.from_samples(joined.samples, f"{join_dataset} people")
    else:
        kp_path = Path(keypoints) if keypoints and Path(keypoints).is_absolute() else None
        if kp_path is None:
            kp_path = safe_join(root, keypoints) if keypoints else keypoints_path(root, split)
        source = _KeypointSource.from_file(kp_path)
    result = ReadResult(samples=[])
    seen: Counter[str] = Counter()
    for i, rec in enumerate(data):
        pair = _pair(root, str(cap_path), i, rec, source, min_visible, check_images, result.dropped)
        if pair is None:
            continue
        seen[pair.sample_id] += 1
        if seen[pair.sample_id] > 1:  # the same pair listed twice keeps a distinct id
            pair = _with_id(pair, f"{pair.sample_id}#{seen[pair.sample_id]}")
        result.samples.append(pair)
        if max_samples is not None and len(result.samples) >= max_samples:
            break
    result.stats = {"dataset": dataset, "records": len(data), "pairs": len(result.samples),
                    "dropped": len(result.dropped), "keypoints_from": source.where}  # fmt: skip
    return result


def _with_id(pair: PosePair, sid: str) -> PosePair:
    from dataclasses import replace

    return replace(pair, sample_id=sid)


def _pair(
    root: Path,
    file: str,
    index: int,
    rec: Any,
    source: _KeypointSource,
    min_visible: int,
    check_images: bool,
    dropped: list[Drop],
) -> PosePair | None:
    """One validated pair, or None with its drop appended."""
    where = f"pair {index}"
    if not isinstance(rec, dict):
        dropped.append(Drop(file, where, "record", "expected an object"))
        return None
    names, paths = {}, {}
    for role in ("reference", "target"):
        name = rec.get(role)
        try:
            paths[role] = safe_join(root / "images", name)
        except ValueError as exc:
            dropped.append(Drop(file, where, role, str(exc)))
            return None
        names[role] = name
        if check_images and not paths[role].is_file():
            dropped.append(Drop(file, where, role, f"image not found: {name}"))
            return None
    captions: dict[str, list[str]] = {}
    extra: dict[str, Any] = {}
    for key, value in rec.items():
        if key in ("reference", "target", "img_set"):
            continue
        if isinstance(value, list) and all(isinstance(t, str) for t in value):
            captions[key] = value
        elif key in CAPTION_FIELDS:
            dropped.append(Drop(file, where, key, "expected a list of strings"))
            return None
        else:
            extra[key] = value
    poses = {}
    for role in ("reference", "target"):
        try:
            kps, size, box = source.get(names[role])
        except KeyError:
            why = f"no keypoints for {role} image {names[role]} in {source.where}"
            dropped.append(Drop(file, where, "keypoints", why))
            return None
        except RecordError as exc:
            dropped.append(Drop(file, where, "keypoints", f"{role} image {names[role]}: {exc}"))
            return None
        why = usable(kps, min_visible)
        if why is not None:
            dropped.append(Drop(file, where, "keypoints", f"{role} image {names[role]}: {why}"))
            return None
        if size is None and paths[role].is_file():
            with Image.open(paths[role]) as im:
                size = im.size
        poses[role] = (kps, size, box)
    return PosePair(
        sample_id=f"{names['reference']}->{names['target']}",
        reference=names["reference"],
        target=names["target"],
        reference_keypoints=poses["reference"][0],
        target_keypoints=poses["target"][0],
        reference_path=str(paths["reference"]),
        target_path=str(paths["target"]),
        img_set=rec.get("img_set", ""),
        captions=captions,
        reference_size=poses["reference"][1],
        target_size=poses["target"][1],
        reference_box=poses["reference"][2],
        target_box=poses["target"][2],
        index=index,
        extra=extra,
    )


# ---------------------------------------------------------------- building pairs


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
    people: dict[str, Sample] = {}
    for s in samples:
        if not isinstance(s, Sample) or s.person.keypoints is None:
            continue
        cur = people.get(s.file_name)
        if cur is None or _rank(s) > _rank(cur):
            people[s.file_name] = s
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


def halpe_samples(path: Path, image_dir: Path) -> ReadResult:
    """People of a Halpe full-body file (COCO format, 136 points) as pose-only samples."""
    data = load_json_file(Path(path), "Halpe keypoint file")
    if not isinstance(data, dict) or "images" not in data or "annotations" not in data:
        raise DatasetError(f"{path}: not a COCO-format file (needs 'images' and 'annotations')")
    images = {img.get("id"): img for img in data["images"] if isinstance(img, dict)}
    result = ReadResult(samples=[])
    for ann in data["annotations"]:
        img = images.get(ann.get("image_id"))
        rec = f"annotation {ann.get('id')}"
        if img is None:
            result.dropped.append(Drop(str(path), rec, "image_id", "no such image"))
            continue
        try:
            w, h = img.get("width"), img.get("height")
            if not isinstance(w, int) or not isinstance(h, int) or w <= 0 or h <= 0:
                raise RecordError("width/height", f"expected positive integers, got {w!r}x{h!r}")
            image_path = safe_join(Path(image_dir), img.get("file_name"))
            box = Box.from_xywh(ann.get("bbox"), (w, h), "bbox")
            kps = Keypoints.from_flat(ann.get("keypoints"), HALPE136)
        except RecordError as exc:
            result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
            continue
        except ValueError as exc:
            result.dropped.append(Drop(str(path), rec, "file_name", str(exc)))
            continue
        result.samples.append(
            Sample(
                sample_id=f"{img['file_name']}#{ann.get('id')}",
                dataset="halpe",
                file_name=img["file_name"],
                image_id=int(img["id"]),
                instance_id=int(ann.get("id", 0)),
                width=w,
                height=h,
                person=Person(box=box, keypoints=kps),
                image_path=str(image_path),
            )
        )
    return result


def _built(
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
