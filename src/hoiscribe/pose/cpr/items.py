"""Training items of a setup: which (reference image, target image) pairs train, with which texts.

An item is a reference key, a target key, its forward texts and (for the cyclic loss) the
texts describing the way back. Keys are image names, or ``name`` + ``FLIP`` for the
horizontally flipped image, so the feature cache holds each image and each flipped image
once. Reverse swaps reference and target and reads the reverse field; mirror flips both
images and reads the mirrored fields; both together flip and swap.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoiscribe.pose.cpr.data import CprEntry
from hoiscribe.pose.cpr.setups import TrainConfig

FLIP = "|flip"


@dataclass(frozen=True, slots=True)
class Item:
    reference: str
    target: str
    texts: tuple[str, ...]
    back: tuple[str, ...]  # target -> reference; empty where the entry has none


def flipped(name: str) -> str:
    return name + FLIP


def is_flipped(key: str) -> bool:
    return key.endswith(FLIP)


def base_name(key: str) -> str:
    return key[: -len(FLIP)] if key.endswith(FLIP) else key


def _take(entry: CprEntry, names: list[str] | tuple[str, ...], n: int | None) -> tuple[str, ...]:
    texts = tuple(t for name in names for t in entry.field(name))
    return texts if n is None else texts[:n]


def build_items(entries: list[CprEntry], cfg: TrainConfig) -> tuple[list[Item], dict[str, int]]:
    """Every item the setup trains on, and how many entries each way had no texts."""
    n = cfg.texts_per_pair
    items: list[Item] = []
    skipped = {"forward": 0, "reverse": 0, "mirror": 0, "mirror-reverse": 0}
    for e in entries:
        fwd = _take(e, cfg.fields, n)
        rev = _take(e, [cfg.reverse_field], n) if cfg.reverse_field else ()
        ways = [("forward", e.reference, e.target, fwd, rev)]
        if cfg.augment_reverse:
            ways.append(("reverse", e.target, e.reference, rev, fwd))
        if cfg.augment_mirror:
            mir = _take(e, [cfg.mirror_field], n) if cfg.mirror_field else ()
            mrev = _take(e, [cfg.mirror_reverse_field], n) if cfg.mirror_reverse_field else ()
            ways.append(("mirror", flipped(e.reference), flipped(e.target), mir, mrev))
            if cfg.augment_reverse:
                ways.append(("mirror-reverse", flipped(e.target), flipped(e.reference), mrev, mir))
        for way, ref, tgt, texts, back in ways:
            if not texts:
                skipped[way] += 1
                continue
            items.append(Item(ref, tgt, texts, back if cfg.cycle else ()))
    return items, skipped


def image_keys(items: list[Item]) -> list[str]:
    """Every image key the items use, first-seen order (what the feature cache must hold)."""
    return list(dict.fromkeys(k for it in items for k in (it.reference, it.target)))
