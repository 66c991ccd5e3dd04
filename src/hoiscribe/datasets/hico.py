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

from hoiscribe.core.records import Box, Interaction, Object, Person, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, load_json_file, safe_join
from hoiscribe.datasets.halpe import HalpeIndex
from hoiscribe.vocab.hake import PartState, part_state
from hoiscribe.vocab.hico import hico

HAKE_FILES = {
    "train2015": "hico-det-training-set-instance-level.json",
    "test2015": "hico-det-test-set-instance-level.json",
}
HALPE_FILES = {"train2015": "halpe_train_v1.json"}


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
) -> ReadResult:
    """Read HICO-DET+HAKE pairs as samples; bad records are dropped with their reason.

    ``check_images`` drops pairs whose image file is missing (the run layer otherwise
    reports those when it first needs the pixels).
    """
    root = Path(root)
    path = hake_path(root, split)
    data = load_json_file(path, "HAKE instance-level annotation")
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object keyed by file name, got {type(data).__name__}")
    _check_configs(root)
    if halpe_file is None and split in HALPE_FILES:
        candidate = root / "Annotation" / "hico-fullbody-pose" / HALPE_FILES[split]
        halpe_file = candidate if candidate.is_file() else None
    halpe = HalpeIndex.from_file(halpe_file) if halpe_file is not None else None

    vocab = hico()
    result = ReadResult(samples=[])
    image_dir = root / "Images" / "images" / split
    matched = 0
    for image_id, (file_name, entry) in enumerate(data.items()):
        record = file_name
        try:
            image_path = safe_join(image_dir, file_name)
        except ValueError as exc:
            result.dropped.append(Drop(str(path), record, "file_name", str(exc)))
            continue
        if check_images and not image_path.is_file():
            result.dropped.append(Drop(str(path), record, "file_name", f"image not found: {image_path}"))
            continue
        labels = entry.get("labels") if isinstance(entry, dict) else None
        if not isinstance(labels, list):
            result.dropped.append(Drop(str(path), record, "labels", "missing or not a list"))
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
    if not isinstance(label, dict):
        raise RecordError("labels", "expected an object")
    width, height = label.get("width"), label.get("height")
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or value <= 0:
            raise RecordError(name, f"expected a positive integer, got {value!r}")
    size = (width, height)
    hoi_id = label.get("hoi_id")
    if not isinstance(hoi_id, int) or not 1 <= hoi_id <= len(vocab.hois):
        raise RecordError("hoi_id", f"unknown hoi_id {hoi_id!r} (expected 1..{len(vocab.hois)})")
    hoi = vocab.hois[hoi_id - 1]
    human = Box.from_xyxy(label.get("human_bbox"), size, "human_bbox")
    obj = Box.from_xyxy(label.get("object_bbox"), size, "object_bbox")
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
    """HAKE ``action_labels``; 15,204 of the real pairs have none, which is not an error."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("action_labels", "expected a list")
    out = []
    for j, item in enumerate(raw):
        if not isinstance(item, dict):
            raise RecordError(f"action_labels[{j}]", "expected an object")
        part, state = item.get("human_part"), item.get("partstate")
        if not isinstance(part, int) or not isinstance(state, int):
            raise RecordError(f"action_labels[{j}]", f"human_part/partstate must be integers, got {item!r}")
        try:
            out.append(part_state(part, state))
        except ValueError as exc:
            raise RecordError(f"action_labels[{j}]", str(exc)) from None
    return tuple(out)


def _with_keypoints(sample: Sample, keypoints: Any) -> Sample:
    from dataclasses import replace

    return replace(sample, person=replace(sample.person, keypoints=keypoints))


def _check_configs(root: Path) -> None:
    """When the layout ships its own class lists, make sure they are the ones we index with."""
    hoi_list = root / "Configs" / "hico_hoi_list.txt"
    if hoi_list.is_file():
        rows = [line.split() for line in hoi_list.read_text().splitlines() if line.strip()]
        vocab = hico()
        if len(rows) != len(vocab.hois):
            raise DatasetError(f"{hoi_list}: expected {len(vocab.hois)} HOIs, found {len(rows)}")
        for i, row in enumerate(rows):
            hoi = vocab.hois[i]
            if len(row) < 3 or (row[1].replace("_", " "), row[2]) != (hoi.object, hoi.verb):
                raise DatasetError(f"{hoi_list}: line {i + 1} is {row!r}, expected {hoi.object} {hoi.verb}")
    states = root / "Configs" / "Part_State_76.txt"
    if states.is_file():
        n = sum(1 for line in states.read_text().splitlines() if line.strip())
        if n != 76:
            raise DatasetError(f"{states}: expected 76 part states, found {n}")
