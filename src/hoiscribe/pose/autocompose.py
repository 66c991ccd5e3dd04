"""AutoComPose export: a run's transition outputs plus the rule-based and augmented fields.

Per pair: ``sents`` (kept from the source captions), ``auto`` / ``auto-reverse`` (kept when
the source had them, else written from 2D paircodes both ways, seeded by the pair id),
``mllm`` / ``reverse`` (the transition stage's summaries) and ``mirror`` / ``mirror-reverse``
(their word-level mirrors). Pairs without a transition output are left out. The gallery
list goes to ``image_splits/<file name>`` beside the ``captions`` folder (or beside the file).

The output is a whole root that ``hoiscribe cpr`` trains on as it is: beside the gallery go
``keypoints/<file name>`` (hoiscribe's keypoint file, which ``cpr img-sets`` reads) and, when
the run read its pairs from another folder, an ``images`` link to that folder's images.
"""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoiscribe.core.io import MergeError, atomic_write_bytes
from hoiscribe.core.records import Keypoints
from hoiscribe.geometry.paircodes import measures, pair_changes
from hoiscribe.pose.captions import CAPTION_FIELDS, gallery, write_captions
from hoiscribe.pose.grounded import summaries

if TYPE_CHECKING:
    from hoiscribe.run.rundir import RunDir


INTERNAL = ("sample_id", "pair_index", "reference_keypoints", "target_keypoints", "reference_size", "target_size")
MODEL_FIELDS = ("mllm", "reverse", "mirror", "mirror-reverse")


def auto_descriptions(record: dict[str, Any], seed: str = "auto") -> tuple[list[str], list[str]]:
    """Paircode summaries forward and backward from a merged record's keypoints."""
    ref = Keypoints.from_flat(record["reference_keypoints"])
    tgt = Keypoints.from_flat(record["target_keypoints"])
    mr, mt = measures(ref), measures(tgt)
    rng = random.Random(f"{seed}:{record.get('sample_id', '')}")
    return summaries(pair_changes(mr, mt), rng), summaries(pair_changes(mt, mr), rng)


def caption_entry(record: dict[str, Any], output: dict[str, Any], skip: set[str]) -> dict[str, Any]:
    """One caption-JSON entry from a merged record and its transition output."""
    entry: dict[str, Any] = {"reference": record["reference"], "target": record["target"],
                             "img_set": record.get("img_set", "")}  # fmt: skip
    auto, auto_rev = record.get("auto"), record.get("auto-reverse")
    if not auto or not auto_rev:
        gen, gen_rev = auto_descriptions(record)
        auto, auto_rev = auto or gen, auto_rev or gen_rev
    filled = {"sents": record.get("sents") or [], "auto": auto, "auto-reverse": auto_rev}
    filled.update({name: list(output.get(name) or []) for name in MODEL_FIELDS})
    for name in CAPTION_FIELDS:
        entry[name] = filled[name]
    for key, value in record.items():  # other caption fields of the source file, as they were
        if key not in entry and key not in skip and key not in INTERNAL:
            entry[key] = value
    return entry


def export_autocompose(run: RunDir, output_path: Path) -> Path:
    """Write the AutoComPose caption JSON (and its gallery list) for a run over pose pairs."""
    output_path = Path(output_path)
    names = run.field_names()
    fields = [n for n, s in zip(names, run.manifest.stages, strict=True) if s.task.startswith("transition")]
    if not fields:
        raise MergeError(f"{run.path} has no transition stage to export in the autocompose format")
    records, _ = run.merged_records()
    records.sort(key=lambda r: (r.get("pair_index", 0), r["sample_id"]))
    skip = set(names)
    entries = []
    for rec in records:
        output = rec.get(fields[0])
        if "reference" in rec and isinstance(output, dict):
            entries.append(caption_entry(rec, output, skip))
    write_captions(output_path, entries)
    split_dir = output_path.parent.parent if output_path.parent.name == "captions" else output_path.parent
    atomic_write_bytes(split_dir / "image_splits" / output_path.name, json.dumps(gallery(entries), indent=1).encode())
    kept = [r for r in records if "reference" in r and isinstance(r.get(fields[0]), dict)]
    atomic_write_bytes(split_dir / "keypoints" / output_path.name, json.dumps(keypoint_entries(kept)).encode())
    with contextlib.suppress(ValueError, OSError):  # data root unknown, or no symlinks here: the user adds images/
        link_images(split_dir, run.data_root() / "images")
    return output_path


def keypoint_entries(records: list[dict[str, Any]]) -> dict[str, Any]:
    """hoiscribe's keypoint file from merged records (one pose per image name)."""
    images: dict[str, Any] = {}
    for rec in records:
        for side in ("reference", "target"):
            entry: dict[str, Any] = {"keypoints": rec[f"{side}_keypoints"]}
            size = rec.get(f"{side}_size")
            if size:
                entry["width"], entry["height"] = int(size[0]), int(size[1])
            images.setdefault(rec[side], entry)
    return {"layout": "coco17", "images": images}


def link_images(root: Path, images: Path) -> None:
    """``root/images`` -> the source images, unless ``root`` has its own (or is the source root)."""
    target = root / "images"
    if target.exists() or target.is_symlink() or not images.is_dir():
        return
    target.symlink_to(images.resolve(), target_is_directory=True)
