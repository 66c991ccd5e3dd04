"""HICO-DET + HAKE instance-level reader, with Halpe full-body keypoints joined by box IoU.

Layout under ``DATA_ROOT``::

    Annotation/hico-det-instance-level/hico-det-{training,test}-set-instance-level.json
    Annotation/hico-fullbody-pose/halpe_train_v1.json      (optional)
    Configs/hico_hoi_list.txt, Configs/Part_State_76.txt   (optional, checked when present)
    Images/images/{train2015,test2015}/<file_name>
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.core.records import Interaction, Object, Person, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, file_exists, load_json_file, safe_join
from hoiscribe.datasets.fields import MISSING, box_xyxy, image_size, show
from hoiscribe.datasets.halpe import HalpeIndex
from hoiscribe.vocab.hake import PartState, part_state
from hoiscribe.vocab.hico import hico

HAKE_FILES = {
    "train2015": "hico-det-training-set-instance-level.json",
    "test2015": "hico-det-test-set-instance-level.json",
}
HALPE_FILES = {"train2015": "halpe_train_v1.json"}
HAKE_MAX_BYTES = 1024**3  # the real train file is ~120 MB; reader option max_file_bytes overrides


def hake_path(root: Path, split: str) -> Path:
    if split not in HAKE_FILES:
        raise DatasetError(f"unknown HICO-DET split {split!r}; choose {' or '.join(HAKE_FILES)}")
    return root / "Annotation" / "hico-det-instance-level" / HAKE_FILES[split]


def read_hico(
    root: Path,
    split: str = "train2015",
    max_samples: int | None = None,
    dataset: str = "hico",
    halpe_file: Path | None = None,
    halpe_iou: float = 0.5,
    check_images: bool = False,
    max_file_bytes: int | None = None,
) -> ReadResult:
    """Read HICO-DET+HAKE pairs as samples; bad records are dropped with their reason.

    ``check_images`` drops pairs whose image file is missing (the run layer otherwise
    reports those when it first needs the pixels). ``max_file_bytes`` caps the size of the
    annotation files (default: 1 GiB for HAKE, 2 GiB for Halpe); a larger or sparse file is
    refused before it is read. Malformed Halpe people are listed as drops of the Halpe file;
    their HICO pairs are read without keypoints.
    """
    root = Path(root)
    path = hake_path(root, split)
    data = load_json_file(path, "HAKE instance-level annotation", max_file_bytes or HAKE_MAX_BYTES)
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object keyed by file name, got {type(data).__name__}")
    _check_configs(root)
    if halpe_file is None and split in HALPE_FILES:
        candidate = root / "Annotation" / "hico-fullbody-pose" / HALPE_FILES[split]
        halpe_file = candidate if candidate.is_file() else None
    halpe = HalpeIndex.from_file(halpe_file, max_file_bytes) if halpe_file is not None else None

    vocab = hico()
    result = ReadResult(samples=[], dropped=list(halpe.dropped) if halpe is not None else [])
    image_dir = root / "Images" / "images" / split
    matched = 0
    for image_id, (file_name, entry) in enumerate(data.items()):
        record = file_name
        try:
            image_path = safe_join(image_dir, file_name)
        except ValueError as exc:
            result.dropped.append(Drop(str(path), record, "file_name", str(exc)))
            continue
        if check_images and not file_exists(image_path):
            result.dropped.append(Drop(str(path), record, "file_name", f"image not found: {image_path}"))
            continue
        if type(entry) is not dict:
            result.dropped.append(Drop(str(path), record, "record", f"expected an object, got {show(entry)}"))
            continue
        labels = entry.get("labels", MISSING)
        if type(labels) is not list:
            result.dropped.append(Drop(str(path), record, "labels", f"expected a list, got {show(labels)}"))
            continue
        image_samples: list[Sample] = []
        for i, label in enumerate(labels):
            rec = f"{file_name} labels[{i}]"
            try:
                sample = _pair(label, file_name, image_id, i, str(image_path), dataset, vocab)
            except RecordError as exc:
                result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
                continue
            if halpe is not None:
                kps = halpe.match(file_name, sample.person.box, halpe_iou)
                if kps is not None:
                    matched += 1
                    sample = _with_keypoints(sample, kps)
            image_samples.append(sample)
            if max_samples is not None and len(result.samples) + len(image_samples) >= max_samples:
                break
        add_image_context(image_samples)
        result.samples.extend(image_samples)
        if max_samples is not None and len(result.samples) >= max_samples:
            break
    result.stats = {
        "images": len(data),
        "pairs": len(result.samples),
        "dropped": len(result.dropped),
        "keypoints_matched": matched if halpe is not None else None,
        "halpe_dropped": len(halpe.dropped) if halpe is not None else None,
    }
    return result


SAME_BOX_IOU = 0.7  # two annotated boxes above this overlap are the same person / object


def _iou_matrix(boxes: np.ndarray) -> np.ndarray:
    """Pairwise IoU of N x 4 xyxy boxes; identical boxes count as 1 even when degenerate."""
    iw = np.clip(
        np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0]), 0, None
    )
    ih = np.clip(
        np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1]), 0, None
    )
    inter = iw * ih
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area[:, None] + area[None, :] - inter
    iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    return np.where((boxes[:, None, :] == boxes[None, :, :]).all(-1), 1.0, iou)


def add_image_context(samples: list[Sample]) -> None:
    """What one pair's facts need from the rest of its image, stored in ``extra``:
    ``people_in_image`` (distinct human boxes: HICO repeats a person per pair) and
    ``pair_verbs`` (every HOI verb given to the same person-object pair, so a text naming
    another true label of the pair is not a wrong verb)."""
    if not samples:
        return
    if len(samples) == 1:  # most images: no matrices needed
        s = samples[0]
        s.extra.setdefault("people_in_image", 1)
        if s.interaction is not None:
            s.extra["pair_verbs"] = [s.interaction.verb]
        return
    same_person = _iou_matrix(np.array([s.person.box.as_xyxy() for s in samples])) >= SAME_BOX_IOU
    kept: list[int] = []
    for i in range(len(samples)):
        if not same_person[i, kept].any():
            kept.append(i)
    if all(s.object is not None and s.interaction is not None for s in samples):
        same_object = _iou_matrix(np.array([s.object.box.as_xyxy() for s in samples])) >= SAME_BOX_IOU
        cats = np.array([s.object.category for s in samples])
        same_pair = same_person & same_object & (cats[:, None] == cats[None, :])
    else:
        same_pair = None
    for i, s in enumerate(samples):
        s.extra.setdefault("people_in_image", len(kept))
        if s.interaction is not None and same_pair is not None:
            s.extra["pair_verbs"] = sorted({samples[j].interaction.verb for j in np.flatnonzero(same_pair[i])})


def _pair(label: Any, file_name: str, image_id: int, index: int, image_path: str, dataset: str, vocab: Any) -> Sample:
    if type(label) is not dict:
        raise RecordError("labels", f"expected an object, got {show(label)}")
    size = width, height = image_size(label.get("width", MISSING), label.get("height", MISSING))
    hoi_id = label.get("hoi_id", MISSING)
    if type(hoi_id) is not int or not 1 <= hoi_id <= len(vocab.hois):
        what = "unknown hoi_id" if type(hoi_id) is int else "expected an integer hoi_id, got"
        raise RecordError("hoi_id", f"{what} {show(hoi_id)} (expected 1..{len(vocab.hois)})")
    hoi = vocab.hois[hoi_id - 1]
    human = box_xyxy(label.get("human_bbox", MISSING), size, "human_bbox")
    obj = box_xyxy(label.get("object_bbox", MISSING), size, "object_bbox")
    states = parse_part_states(label.get("action_labels"))
    return Sample(
        sample_id=f"{file_name}#{index}",
        dataset=dataset,
        file_name=file_name,
        image_id=image_id,
        instance_id=index,
        width=width,
        height=height,
        person=Person(box=human, part_states=states),
        object=Object(box=obj, category=hoi.object),
        interaction=Interaction(hoi_idx=hoi.hoi_idx, verb=hoi.verb, object=hoi.object),
        image_path=image_path,
        extra={"has_action_labels": "action_labels" in label},
    )


def parse_part_states(raw: Any) -> tuple[PartState, ...]:
    """HAKE ``action_labels``; 15,204 of the real pairs have none (no key, or null), which is not an error."""
    if raw is None:
        return ()
    if type(raw) is not list:
        raise RecordError("action_labels", f"expected a list, got {show(raw)}")
    out = []
    for j, item in enumerate(raw):
        if type(item) is not dict:
            raise RecordError(f"action_labels[{j}]", f"expected an object, got {show(item)}")
        part, state = item.get("human_part", MISSING), item.get("partstate", MISSING)
        if type(part) is not int or type(state) is not int:
            raise RecordError(f"action_labels[{j}]", f"human_part/partstate must be integers, got {show(item)}")
        try:
            out.append(part_state(part, state))
        except ValueError as exc:
            raise RecordError(f"action_labels[{j}]", str(exc)) from None
    return tuple(out)


def _with_keypoints(sample: Sample, keypoints: Any) -> Sample:
    from dataclasses import replace

    return replace(sample, person=replace(sample.person, keypoints=keypoints))


def _read_config(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text().splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: not a readable text file: {exc}") from None


def _check_configs(root: Path) -> None:
    """When the layout ships its own class lists, make sure they are the ones we index with."""
    hoi_list = root / "Configs" / "hico_hoi_list.txt"
    if hoi_list.is_file():
        rows = [line.split() for line in _read_config(hoi_list)]
        vocab = hico()
        if len(rows) != len(vocab.hois):
            raise DatasetError(f"{hoi_list}: expected {len(vocab.hois)} HOIs, found {len(rows)}")
        for i, row in enumerate(rows):
            hoi = vocab.hois[i]
            if len(row) < 3 or (row[1].replace("_", " "), row[2]) != (hoi.object, hoi.verb):
                raise DatasetError(f"{hoi_list}: line {i + 1} is {row!r}, expected {hoi.object} {hoi.verb}")
    states = root / "Configs" / "Part_State_76.txt"
    if states.is_file():
        n = len(_read_config(states))
        if n != 76:
            raise DatasetError(f"{states}: expected 76 part states, found {n}")
