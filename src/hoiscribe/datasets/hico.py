"""HICO-DET + HAKE instance-level reader, with Halpe full-body keypoints joined by box IoU.

Layout under ``DATA_ROOT``::

    Annotation/hico-det-instance-level/hico-det-{training,test}-set-instance-level.json
    Annotation/hico-fullbody-pose/halpe_train_v1.json      (optional)
    Configs/hico_hoi_list.txt, Configs/Part_State_76.txt   (optional, checked when present)
    Images/images/{train2015,test2015}/<file_name>
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoiscribe.core.records import Box, Interaction, Object, Person, RecordError, Sample
from hoiscribe.datasets.base import (
    DatasetError,
    Drop,
    ReadResult,
    StreamedRead,
    check_file_size,
    file_exists,
    packs_with,
    safe_join,
    streams_with,
)
from hoiscribe.datasets.context import SAME_BOX_IOU, distinct_people, pair_verbs
from hoiscribe.datasets.fields import MISSING, box_xyxy, image_size, show
from hoiscribe.datasets.halpe import HalpeIndex
from hoiscribe.datasets.stream import json_object_chunks, json_object_items
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
    stream = stream_hico(root, split, max_samples, dataset, halpe_file, halpe_iou, check_images, max_file_bytes)
    return stream.collect()


# the run layer streams this reader image by image (``hoiscribe.datasets.base.reader_stream``), or
# spills its packed twin's lists (``reader_packed``: the same samples, never built)
streams_with(read_hico, lambda: stream_hico)
packs_with(read_hico, lambda: packed_hico)

__all__ = ["SAME_BOX_IOU", "add_image_context", "packed_hico", "parse_part_states", "read_hico", "stream_hico"]


def stream_hico(
    root: Path,
    split: str = "train2015",
    max_samples: int | None = None,
    dataset: str = "hico",
    halpe_file: Path | None = None,
    halpe_iou: float = 0.5,
    check_images: bool = False,
    max_file_bytes: int | None = None,
) -> StreamedRead:
    """``read_hico`` one image at a time: the annotation file is parsed incrementally, so only the
    image in hand is in memory (the Halpe index, when joined, is held whole)."""
    opts, result = _open(root, split, max_samples, dataset, halpe_file, halpe_iou, check_images, max_file_bytes)
    return StreamedRead(_batches(opts, result), result)


def packed_hico(
    root: Path,
    split: str = "train2015",
    max_samples: int | None = None,
    dataset: str = "hico",
    halpe_file: Path | None = None,
    halpe_iou: float = 0.5,
    check_images: bool = False,
    max_file_bytes: int | None = None,
) -> StreamedRead:
    """``stream_hico`` as ``codec.pack`` lists, a chunk of the file at a time (``datasets.hake_fast``)."""
    from hoiscribe.datasets.hake_fast import packed_batches

    opts, result = _open(root, split, max_samples, dataset, halpe_file, halpe_iou, check_images, max_file_bytes)
    return StreamedRead(packed_batches(opts, result), result)


def _open(
    root: Path,
    split: str,
    max_samples: int | None,
    dataset: str,
    halpe_file: Path | None,
    halpe_iou: float,
    check_images: bool,
    max_file_bytes: int | None,
) -> tuple[_Options, ReadResult]:
    """The checked options of a read (file size, class lists, the Halpe index) and its empty result."""
    root = Path(root)
    path = hake_path(root, split)
    check_file_size(path, "HAKE instance-level annotation", max_file_bytes or HAKE_MAX_BYTES)
    _check_configs(root)
    if halpe_file is None and split in HALPE_FILES:
        candidate = root / "Annotation" / "hico-fullbody-pose" / HALPE_FILES[split]
        halpe_file = candidate if candidate.is_file() else None
    halpe = HalpeIndex.from_file(halpe_file, max_file_bytes) if halpe_file is not None else None
    result = ReadResult(samples=[], dropped=list(halpe.dropped) if halpe is not None else [])
    opts = _Options(path, root / "Images" / "images" / split, dataset, check_images, halpe, halpe_iou, max_samples)
    return opts, result


@dataclass(frozen=True)
class _Options:
    path: Path
    image_dir: Path
    dataset: str
    check_images: bool
    halpe: HalpeIndex | None
    halpe_iou: float
    max_samples: int | None


def _batches(opts: _Options, result: ReadResult) -> Iterator[list[Sample]]:
    """The samples of one image per batch; ``result`` gets the drops and, at the end, the stats."""
    vocab = hico()
    images = pairs = matched = 0
    for image_id, (file_name, entry) in enumerate(json_object_items(opts.path, "HAKE instance-level annotation")):
        images += 1
        samples, n_matched = _image(opts, result.dropped, vocab, image_id, file_name, entry, opts.max_samples, pairs)
        matched += n_matched
        pairs += len(samples)
        if samples:
            yield samples
        if opts.max_samples is not None and pairs >= opts.max_samples:
            break
    result.stats = {
        "images": images if opts.max_samples is None else _count_entries(opts.path),
        "pairs": pairs,
        "dropped": len(result.dropped),
        "keypoints_matched": matched if opts.halpe is not None else None,
        "halpe_dropped": len(opts.halpe.dropped) if opts.halpe is not None else None,
    }


def _count_entries(path: Path) -> int:
    """Images in the whole file (a ``max_samples`` read stops early but reports the file's count)."""
    return sum(len(chunk) for chunk in json_object_chunks(path, "HAKE instance-level annotation"))


def _image(
    opts: _Options,
    dropped: list[Drop],
    vocab: Any,
    image_id: int,
    file_name: Any,
    entry: Any,
    max_samples: int | None,
    pairs: int,
) -> tuple[list[Sample], int]:
    """The pairs of one image entry, with Halpe keypoints and image context; drops appended."""
    path = str(opts.path)
    try:
        image_path = safe_join(opts.image_dir, file_name)
    except ValueError as exc:
        dropped.append(Drop(path, file_name, "file_name", str(exc)))
        return [], 0
    if opts.check_images and not file_exists(image_path):
        dropped.append(Drop(path, file_name, "file_name", f"image not found: {image_path}"))
        return [], 0
    if type(entry) is not dict:
        dropped.append(Drop(path, file_name, "record", f"expected an object, got {show(entry)}"))
        return [], 0
    labels = entry.get("labels", MISSING)
    if type(labels) is not list:
        dropped.append(Drop(path, file_name, "labels", f"expected a list, got {show(labels)}"))
        return [], 0
    parsed: list[_Pair] = []
    for i, label in enumerate(labels):
        try:
            parsed.append(_pair(label, i, vocab))
        except RecordError as exc:
            dropped.append(Drop(path, f"{file_name} labels[{i}]", exc.field, exc.reason))
            continue
        if max_samples is not None and pairs + len(parsed) >= max_samples:
            break
    if not parsed:
        return [], 0
    keypoints: list[Any] = [None] * len(parsed)
    if opts.halpe is not None:
        keypoints = opts.halpe.match_boxes(file_name, [p.human.as_xyxy() for p in parsed], opts.halpe_iou)
    extras = _contexts(parsed)
    image = str(image_path)
    samples = [
        Sample(
            sample_id=f"{file_name}#{p.index}",
            dataset=opts.dataset,
            file_name=file_name,
            image_id=image_id,
            instance_id=p.index,
            width=p.width,
            height=p.height,
            person=Person(p.human, kps, p.states),
            object=Object(p.obj, p.hoi.object),
            interaction=Interaction(p.hoi.hoi_idx, p.hoi.verb, p.hoi.object),
            image_path=image,
            extra=extra,
        )
        for p, kps, extra in zip(parsed, keypoints, extras, strict=True)
    ]
    return samples, sum(k is not None for k in keypoints)


def _contexts(parsed: list[_Pair]) -> list[dict[str, Any]]:
    """Each pair's ``extra``: whether it had part states, people in its image, its pair's verbs."""
    if len(parsed) == 1:
        p = parsed[0]
        return [{"has_action_labels": p.has_states, "people_in_image": 1, "pair_verbs": [p.hoi.verb]}]
    humans = [tuple(p.human.as_xyxy()) for p in parsed]
    people = distinct_people(humans)  # type: ignore[arg-type]
    keys = [(h, tuple(p.obj.as_xyxy()), p.hoi.object) for h, p in zip(humans, parsed, strict=True)]
    verbs = pair_verbs(keys, [p.hoi.verb for p in parsed])  # type: ignore[arg-type]
    return [
        {"has_action_labels": p.has_states, "people_in_image": people, "pair_verbs": v}
        for p, v in zip(parsed, verbs, strict=True)
    ]


def add_image_context(samples: list[Sample]) -> None:
    """What one pair's facts need from the rest of its image, stored in ``extra``:
    ``people_in_image`` (distinct human boxes: HICO repeats a person per pair) and
    ``pair_verbs`` (every HOI verb given to the same person-object pair, so a text naming
    another true label of the pair is not a wrong verb)."""
    if not samples:
        return
    if len(samples) == 1:  # most images: nothing to compare
        s = samples[0]
        s.extra.setdefault("people_in_image", 1)
        if s.interaction is not None:
            s.extra["pair_verbs"] = [s.interaction.verb]
        return
    humans = [tuple(s.person.box.as_xyxy()) for s in samples]
    people = distinct_people(humans)  # type: ignore[arg-type]
    verbs: list[list[str]] | None = None
    if all(s.object is not None and s.interaction is not None for s in samples):
        keys = [(h, tuple(s.object.box.as_xyxy()), s.object.category) for h, s in zip(humans, samples, strict=True)]  # type: ignore[union-attr]
        verbs = pair_verbs(keys, [s.interaction.verb for s in samples])  # type: ignore[arg-type,union-attr]
    for i, s in enumerate(samples):
        s.extra.setdefault("people_in_image", people)
        if s.interaction is not None and verbs is not None:
            s.extra["pair_verbs"] = verbs[i]


@dataclass(frozen=True, slots=True)
class _Pair:
    """One checked HAKE label, before it becomes a ``Sample``."""

    index: int
    width: int
    height: int
    human: Box
    obj: Box
    hoi: Any
    states: tuple[PartState, ...]
    has_states: bool


def _pair(label: Any, index: int, vocab: Any) -> _Pair:
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
    return _Pair(index, width, height, human, obj, hoi, states, "action_labels" in label)


def parse_part_states(raw: Any) -> tuple[PartState, ...]:
    """HAKE ``action_labels``; 15,204 of the real pairs have none (no key, or null), which is not an error."""
    if raw is None:
        return ()
    if type(raw) is not list:
        raise RecordError("action_labels", f"expected a list, got {show(raw)}")
    out = []
    known = _PART_STATES
    for j, item in enumerate(raw):
        if type(item) is not dict:
            raise RecordError(f"action_labels[{j}]", f"expected an object, got {show(item)}")
        part, state = item.get("human_part", MISSING), item.get("partstate", MISSING)
        if type(part) is not int or type(state) is not int:
            raise RecordError(f"action_labels[{j}]", f"human_part/partstate must be integers, got {show(item)}")
        ps = known.get((part, state))
        if ps is None:
            try:
                ps = known[(part, state)] = part_state(part, state)
            except ValueError as exc:
                raise RecordError(f"action_labels[{j}]", str(exc)) from None
        out.append(ps)
    return tuple(out)


# (human_part, partstate) -> its PartState: frozen, so one instance serves every pair that has it
_PART_STATES: dict[tuple[int, int], PartState] = {}


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
