"""Reader for the Real-LOD workflow input: one chosen object and its raw expression per item.

The file is a JSON array (the published demo file says ``.jsonl`` but holds an array; true
JSON Lines is accepted too). Each item: ``image_path``, ``height``, ``width``,
``raw_expression``, ``global_caption`` and ``object_locations`` = ``{chosen_object: {id,
category, bbox}, other_objects: [...]}`` with ``bbox`` as ``[x, y, w, h]`` pixels. Boxes are
converted once, here, to canonical xyxy. An ``other_objects`` entry may give only an ``id``
that another item of the same image defines in full.

Bad items are dropped with a reason naming file, item and field (box outside the image,
zero-area box, unknown or repeated id, missing image); the rest are read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.records import Box, RecordError, content_digest
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, check_file_size, file_exists, parse_json, safe_join
from hoiscribe.datasets.fields import MISSING, box_xywh, positive_int, show

DEFAULT_ANNOTATIONS = "annotations.json"


@dataclass(frozen=True, slots=True)
class LocatedObject:
    """An object of the image: its id in the item, category and canonical box."""

    id: int
    category: str
    box: Box

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "bbox": [round(v, 2) for v in self.box.as_xyxy()]}


@dataclass(frozen=True, slots=True)
class ExpressionSample:
    """One workflow input: a chosen object, the other objects of its image, and a raw expression."""

    sample_id: str
    file_name: str  # image path as written in the input (what outputs name the image by)
    image_path: str | None  # resolved path on disk, or None when images are not required
    width: int
    height: int
    chosen: LocatedObject
    others: tuple[LocatedObject, ...]
    raw_expression: str
    global_caption: str = ""
    index: int = 0  # item position in the input file
    dataset: str = "reallod"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def image_size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def objects(self) -> tuple[LocatedObject, ...]:
        """The chosen object first, then the others."""
        return (self.chosen, *self.others)

    def as_record(self) -> dict[str, Any]:
        """Fields exports need: the image, the chosen object (xyxy) and every other object."""
        return {
            "file_name": self.file_name,
            "height": self.height,
            "width": self.width,
            "item_index": self.index,
            "object_id": self.chosen.id,
            "category": self.chosen.category,
            "bbox": self.chosen.as_dict()["bbox"],
            "raw_expression": self.raw_expression,
            "global_caption": self.global_caption,
            "other_objects": [o.as_dict() for o in self.others],
            "dataset": self.dataset,
        }

    def input_digest(self, images: Any = None) -> str:
        """A stable hash of the item's annotation (what resume compares to tell an edited item from
        a done one): image name and size, every object (id, category, box), the raw expression,
        the global caption, ``extra`` and the item's position (``item_index`` is in the record),
        plus ``images``: the identity of the image file, which the run layer supplies."""
        objects = [(o.id, o.category, o.box.as_xyxy()) for o in self.objects]
        return content_digest((self.dataset, self.file_name, self.width, self.height, objects,
                               self.raw_expression, self.global_caption, self.index, self.extra, images))  # fmt: skip


def clean_expression(text: str) -> str:
    """Strip the quotes and whitespace VLM outputs arrive wrapped in ("'a trumpet'" -> "a trumpet")."""
    text = " ".join(text.split())
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        text = text[1:-1].strip()
    return text


def load_items(path: Path, max_bytes: int | None = None) -> list[Any]:
    """The items of a workflow input file: a JSON array, or one JSON object per line.

    ``DatasetError`` before reading a file over ``max_bytes`` (default 2 GiB) or a sparse one."""
    check_file_size(path, "Real-LOD annotation file", max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"Real-LOD annotation file is not readable: {path}: {exc}") from exc
    try:
        value = parse_json(data)
    except orjson.JSONDecodeError:
        value = None
        try:
            value = [parse_json(line) for line in data.splitlines() if line.strip()]
        except orjson.JSONDecodeError as exc:
            raise DatasetError(f"{path}: neither a JSON array nor JSON Lines: {exc}") from exc
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise DatasetError(f"{path}: expected a JSON array of items, got {type(value).__name__}")
    return value


class _Bad(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _int_field(item: dict[str, Any], key: str) -> int:
    return positive_int(item.get(key, MISSING), key, whole_floats=True)


def _object(raw: Any, where: str, size: tuple[int, int]) -> LocatedObject | int:
    """A full object, or just its id (to resolve against the image's other items)."""
    if not isinstance(raw, dict):
        raise _Bad(where, f"expected an object, got {type(raw).__name__}")
    oid = raw.get("id", MISSING)
    if type(oid) is not int or oid < 0:
        raise _Bad(f"{where}.id", f"unknown id {show(oid)} (ids are non-negative integers)")
    if "bbox" not in raw and "category" not in raw:
        return oid
    category = raw.get("category", MISSING)
    if not isinstance(category, str) or not category.strip():
        raise _Bad(f"{where}.category", f"expected a category name, got {show(category)}")
    box = box_xywh(raw.get("bbox", MISSING), size, f"{where}.bbox")  # RecordError: dropped like _Bad
    return LocatedObject(oid, " ".join(category.split()), box)


def _sample_id(file_name: str, object_id: int, expression: str, seen: dict[str, int]) -> str:
    """Stable across runs and reorderings: image, object and a digest of the expression."""
    digest = hashlib.sha1(expression.encode()).hexdigest()[:8]
    base = f"{file_name}#o{object_id}#{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def read_reallod(
    root: Path,
    split: str | None = None,
    max_samples: int | None = None,
    annotations: str | None = None,
    image_root: str | None = None,
    require_images: bool = True,
    dataset: str = "reallod",
    max_file_bytes: int | None = None,
    **options: Any,
) -> ReadResult:
    """Read a workflow input file.

    ``root`` is the annotation file itself or a folder holding ``annotations`` (default
    ``annotations.json``); images resolve under ``image_root`` (default: that folder).
    ``require_images=False`` reads items whose images are absent (for annotation-only work).
    ``max_file_bytes`` caps the annotation file's size (default 2 GiB)."""
    if options:
        raise DatasetError(f"reallod reader: unknown option(s) {sorted(options)}")
    del split  # the input has no splits; one file is one set
    root = Path(root)
    path = root if root.is_file() else root / (annotations or DEFAULT_ANNOTATIONS)
    images = Path(image_root) if image_root is not None else path.parent
    items = load_items(path, max_file_bytes)
    dropped: list[Drop] = []
    parsed: list[tuple[int, dict[str, Any], LocatedObject, list[LocatedObject | int], tuple[int, int]]] = []
    table: dict[str, dict[int, tuple[LocatedObject, int]]] = {}  # image -> id -> (object, first item)

    def drop(i: int, field_name: str, reason: str) -> None:
        dropped.append(Drop(path.name, f"item {i}", field_name, reason))

    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise _Bad("item", f"expected an object, got {type(item).__name__}")
            file_name = item.get("image_path")
            if not isinstance(file_name, str) or not file_name:
                raise _Bad("image_path", f"expected a relative image path, got {file_name!r}")
            size = (_int_field(item, "width"), _int_field(item, "height"))
            locs = item.get("object_locations")
            if not isinstance(locs, dict) or "chosen_object" not in locs:
                raise _Bad("object_locations", "expected {chosen_object: ..., other_objects: [...]}")
            chosen = _object(locs["chosen_object"], "object_locations.chosen_object", size)
            if isinstance(chosen, int):
                raise _Bad("object_locations.chosen_object", f"id {chosen} is given without category and bbox")
            others_raw = locs.get("other_objects")
            if others_raw is None:
                others_raw = []
            if not isinstance(others_raw, list):
                raise _Bad("object_locations.other_objects", f"expected a list, got {show(others_raw)}")
            others = [_object(o, f"object_locations.other_objects[{k}]", size) for k, o in enumerate(others_raw)]
            ids = [chosen.id] + [o if isinstance(o, int) else o.id for o in others]
            repeated = sorted({x for x in ids if ids.count(x) > 1})
            if repeated:
                raise _Bad("object_locations", f"id {repeated[0]} appears more than once in the item")
            expression = item.get("raw_expression")
            if not isinstance(expression, str) or not clean_expression(expression):
                raise _Bad("raw_expression", f"expected a non-empty expression, got {show(expression)}")
            caption = item.get("global_caption")
            if caption is not None and not isinstance(caption, str):
                raise _Bad("global_caption", f"expected a string, got {show(caption)}")
            known = table.setdefault(file_name, {})
            for obj in [chosen, *(o for o in others if not isinstance(o, int))]:
                prior = known.get(obj.id)
                if prior is not None and (prior[0].category != obj.category or prior[0].box != obj.box):
                    raise _Bad("object_locations", f"id {obj.id} names a different object than in item {prior[1]}")
            for obj in [chosen, *(o for o in others if not isinstance(o, int))]:
                known.setdefault(obj.id, (obj, i))
            parsed.append((i, item, chosen, others, size))
        except (_Bad, RecordError) as bad:
            drop(i, bad.field, bad.reason)

    samples: list[ExpressionSample] = []
    seen: dict[str, int] = {}
    missing_images = 0
    for i, item, chosen, others, size in parsed:
        file_name = item["image_path"]
        try:
            resolved: list[LocatedObject] = []
            for k, o in enumerate(others):
                if isinstance(o, int):
                    if o not in table[file_name]:
                        raise _Bad(f"object_locations.other_objects[{k}].id",
                                   f"unknown id {o}: no item of this image defines it")  # fmt: skip
                    o = table[file_name][o][0]
                resolved.append(o)
            try:
                image_path = safe_join(images, file_name)
            except ValueError as exc:
                raise _Bad("image_path", str(exc)) from None
            if require_images and not file_exists(image_path):
                missing_images += 1
                raise _Bad("image_path", f"image not found: {image_path}")
        except _Bad as bad:
            drop(i, bad.field, bad.reason)
            continue
        expression = clean_expression(item["raw_expression"])
        caption = item.get("global_caption")
        samples.append(
            ExpressionSample(
                sample_id=_sample_id(file_name, chosen.id, expression, seen),
                file_name=file_name,
                image_path=str(image_path),
                width=size[0],
                height=size[1],
                chosen=chosen,
                others=tuple(resolved),
                raw_expression=expression,
                global_caption=caption if isinstance(caption, str) else "",
                index=i,
                dataset=dataset,
            )
        )
        if max_samples is not None and len(samples) >= max_samples:
            break
    stats = {
        "items": len(items),
        "samples": len(samples),
        "dropped": len(dropped),
        "missing_images": missing_images,
        "images": len({s.file_name for s in samples}),
        "annotation_file": str(path),
    }
    return ReadResult(samples, dropped, stats)


def write_items(path: Path, items: list[dict[str, Any]]) -> Path:
    """Write items in the input format (a JSON array), as the demo generator and tests do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(items, indent=1))
    return path
