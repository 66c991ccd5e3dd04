"""Reading an AutoComPose root for retrieval: caption entries, the gallery, and what was dropped.

The layout is the one ``hoiscribe.pose.reader`` documents (``captions/{split}.json``,
``image_splits/{split}.json``, ``images/``); retrieval needs no keypoints, so this reader is
separate and lighter: it checks that every named image exists, keeps each entry's text
fields, and reads ``img_set`` as a group of image names when it holds one (a list, or
``{"members": [...]}``) and as no group when it holds a string (the split name). Entries that
cannot be used are dropped with the file, the entry index and the reason; a file that
cannot be read, or a gallery left empty, stops with a ``CprDataError`` naming it. The caption
file may also sit in the root itself (``{split}.json``), as a ``merge --format autocompose``
export to a file outside a ``captions`` folder writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoiscribe.datasets.base import DatasetError, Drop, file_exists, load_json_file, safe_join
from hoiscribe.pose.captions import captions_path


class CprDataError(DatasetError):
    """Input that stops retrieval training or evaluation (a missing file, an empty gallery)."""


@dataclass(frozen=True, slots=True)
class CprEntry:
    """One caption entry: reference and target image names, the img_set group (or None), text fields."""

    index: int
    reference: str
    target: str
    group: tuple[str, ...] | None
    texts: dict[str, tuple[str, ...]]

    def field(self, name: str) -> tuple[str, ...]:
        return self.texts.get(name, ())


@dataclass
class CprSplit:
    """A split's usable entries and gallery, with every drop (file, entry, field, reason)."""

    root: Path
    split: str
    entries: list[CprEntry]
    gallery: list[str]
    dropped: list[Drop] = field(default_factory=list)

    def image_path(self, name: str) -> Path:
        return safe_join(self.root / "images", name)

    def drop_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.dropped:
            key = f"{d.field}: {d.reason.split(':')[0]}"
            counts[key] = counts.get(key, 0) + 1
        return counts


def _texts(rec: dict[str, Any], where: str, index: int, dropped: list[Drop]) -> dict[str, tuple[str, ...]]:
    """Every field holding a string or a list of strings, except the pair's names; bad lists are dropped."""
    out: dict[str, tuple[str, ...]] = {}
    for key, value in rec.items():
        if key in ("reference", "target", "img_set"):
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            continue
        texts = tuple(t.strip() for t in value if isinstance(t, str) and t.strip())
        if len(texts) != len(value):
            dropped.append(Drop(where, f"entry {index}", key, "texts that are not non-empty strings left out"))
        out[key] = texts
    return out


def _group(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, dict):
        value = value.get("members")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


class _ImageCheck:
    """Whether each image exists under ``images/`` (asked once per name)."""

    def __init__(self, root: Path, check: bool) -> None:
        self.root, self.check, self.known = root / "images", check, {}

    def why_not(self, name: Any) -> str | None:
        if not isinstance(name, str) or not name:
            return "not a file name"
        if name not in self.known:
            try:
                path = safe_join(self.root, name)
            except ValueError as exc:
                self.known[name] = str(exc)
            else:
                self.known[name] = None if (not self.check or file_exists(path)) else f"image not found: {name}"
        return self.known[name]


def _read_gallery(root: Path, split: str, images: _ImageCheck, dropped: list[Drop]) -> list[str] | None:
    path = root / "image_splits" / f"{split}.json"
    if not path.is_file():
        return None
    data = load_json_file(path, "gallery split")
    if not isinstance(data, list):
        raise CprDataError(f"{path}: expected a list of image names, got {type(data).__name__}")
    gallery: dict[str, None] = {}
    for i, name in enumerate(data):
        why = images.why_not(name)
        if why is None and name in gallery:
            why = f"duplicate image name {name!r}"
        if why is not None:
            dropped.append(Drop(str(path), f"entry {i}", "image", why))
            continue
        gallery[name] = None
    return list(gallery)


def caption_file(root: Path, split: str) -> Path:
    """``captions/{split}.json``, or ``{split}.json`` in the root itself (how ``merge --format autocompose``
    lays out an export whose file is not in a ``captions`` folder)."""
    path = captions_path(root, split)
    if path.is_file() or not (Path(root) / f"{split}.json").is_file():
        return path
    return Path(root) / f"{split}.json"


def load_captions(root: Path, split: str) -> tuple[Path, list[Any]]:
    """The caption file of ``split`` and its entries (a list), or ``CprDataError`` naming the file."""
    cap = caption_file(root, split)
    if not cap.is_file():
        raise CprDataError(f"no caption file for split {split!r}: {cap}")
    data = load_json_file(cap, "caption JSON")
    if not isinstance(data, list):
        raise CprDataError(f"{cap}: expected a list of caption entries, got {type(data).__name__}")
    return cap, data


def read_cpr_split(
    root: Path,
    split: str,
    need_gallery: bool = False,
    check_images: bool = True,
    max_entries: int | None = None,
) -> CprSplit:
    """Entries of ``captions/{split}.json`` whose images exist, and the split's gallery.

    With ``need_gallery`` (evaluation) the gallery file must exist and hold images, and an
    entry whose target is not in it is dropped; without it a missing gallery file is the
    entries' images in first-seen order.
    """
    root = Path(root)
    cap, data = load_captions(root, split)
    images, dropped, where = _ImageCheck(root, check_images), [], str(cap)
    gallery = _read_gallery(root, split, images, dropped)
    if gallery is None and need_gallery:
        raise CprDataError(f"no gallery for split {split!r}: {root / 'image_splits' / f'{split}.json'}")
    in_gallery = set(gallery or ())
    entries: list[CprEntry] = []
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            dropped.append(Drop(where, f"entry {i}", "entry", f"expected an object, got {type(rec).__name__}"))
            continue
        why = None
        for key in ("reference", "target"):
            why = images.why_not(rec.get(key))
            if why is not None:
                dropped.append(Drop(where, f"entry {i}", key, why))
                break
        if why is not None:
            continue
        ref, tgt = rec["reference"], rec["target"]
        if ref == tgt:
            dropped.append(Drop(where, f"entry {i}", "target", f"the same image as the reference: {ref}"))
            continue
        if (ref, tgt) in seen:
            dropped.append(Drop(where, f"entry {i}", "entry", f"duplicate pair: same as entry {seen[ref, tgt]}"))
            continue
        if need_gallery and tgt not in in_gallery:
            dropped.append(Drop(where, f"entry {i}", "target", f"target not in the gallery: {tgt}"))
            continue
        seen[ref, tgt] = i
        entries.append(CprEntry(i, ref, tgt, _group(rec.get("img_set")), _texts(rec, where, i, dropped)))
        if max_entries is not None and len(entries) >= max_entries:
            break
    if gallery is None:
        gallery = list(dict.fromkeys(n for e in entries for n in (e.reference, e.target)))
    if need_gallery and not gallery:
        raise CprDataError(f"the gallery of split {split!r} is empty: {root / 'image_splits' / f'{split}.json'}")
    if not entries:
        raise CprDataError(
            f"{cap}: no usable entries ({len(dropped)} dropped; first: {dropped[0] if dropped else '-'})"
        )
    return CprSplit(root, split, entries, gallery, dropped)
