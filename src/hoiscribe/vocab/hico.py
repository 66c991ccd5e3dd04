"""HICO-DET: 600 HOI classes, 117 verbs, 80 objects, rare split and zero-shot splits.

Index conventions (all 0-based unless named ``*_id``): ``hoi_idx`` 0..599 in the official
order (``hoi_id = hoi_idx + 1``), ``verb_idx`` 0..116 alphabetical, ``coco_idx`` 0..79
contiguous COCO order, ``coco_id`` the original 1..90 COCO id, ``hicodet_idx`` 0..79
alphabetical object order of the HICO-DET ``.mat`` files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hoiscribe.vocab._data import load_json

ZERO_SHOT_SPLITS = (
    "rare_first",
    "non_rare_first",
    "unseen_object",
    "unseen_verb",
    "uc0",
    "uc1",
    "uc2",
    "uc3",
    "uc4",
)


@dataclass(frozen=True, slots=True)
class HOI:
    """One HICO-DET interaction class."""

    hoi_idx: int
    verb_idx: int
    verb: str
    object_coco_idx: int
    object_coco_id: int
    object_hicodet_idx: int
    object: str
    rare: bool

    @property
    def hoi_id(self) -> int:
        return self.hoi_idx + 1

    @property
    def object_text(self) -> str:
        return self.object.replace("_", " ")

    @property
    def is_no_interaction(self) -> bool:
        return self.verb == "no_interaction"


@dataclass(frozen=True)
class HICO:
    """The HICO-DET vocabulary, loaded once from package data."""

    hois: tuple[HOI, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]  # by coco_idx
    object_coco_ids: tuple[int, ...]  # by coco_idx
    object_hicodet_idx: tuple[int, ...]  # by coco_idx
    rare: frozenset[int]
    zero_shot: dict[str, frozenset[int]]

    def hoi_by_id(self, hoi_id: int) -> HOI:
        """The HOI with 1-based id ``hoi_id``; ``KeyError`` naming the id otherwise."""
        if not 1 <= hoi_id <= len(self.hois):
            raise KeyError(f"hoi_id {hoi_id} is not in 1..{len(self.hois)}")
        return self.hois[hoi_id - 1]

    def hoi_for(self, verb: str, obj: str) -> HOI:
        """The HOI of a (verb, object) name pair."""
        key = (verb.replace(" ", "_"), obj.replace("_", " "))
        for hoi in self.hois:
            if (hoi.verb, hoi.object) == key:
                return hoi
        raise KeyError(f"no HICO-DET HOI for verb={verb!r} object={obj!r}")

    @property
    def non_rare(self) -> frozenset[int]:
        return frozenset(range(len(self.hois))) - self.rare

    def unseen(self, split: str) -> frozenset[int]:
        """hoi_idx set of the unseen classes of a zero-shot split."""
        if split not in self.zero_shot:
            raise KeyError(f"unknown zero-shot split {split!r}; choose one of {', '.join(ZERO_SHOT_SPLITS)}")
        return self.zero_shot[split]


@cache
def hico() -> HICO:
    """Load the HICO-DET vocabulary (cached)."""
    rows = load_json("hoi_600.json")
    hois = tuple(
        HOI(
            hoi_idx=r["hoi_idx"],
            verb_idx=r["verb_idx"],
            verb=r["verb"],
            object_coco_idx=r["object_coco_idx"],
            object_coco_id=r["object_coco_id"],
            object_hicodet_idx=r["object_hicodet_idx"],
            object=r["object"],
            rare=bool(r["rare"]),
        )
        for r in rows
    )
    objects = sorted(load_json("objects.json"), key=lambda o: o["coco_idx"])
    verbs = sorted(load_json("verbs.json"), key=lambda v: v["verb_idx"])
    splits = load_json("zero_shot_splits.json")
    return HICO(
        hois=hois,
        verbs=tuple(v["name"] for v in verbs),
        objects=tuple(o["name"] for o in objects),
        object_coco_ids=tuple(o["coco_id"] for o in objects),
        object_hicodet_idx=tuple(o["hicodet_idx"] for o in objects),
        rare=frozenset(load_json("rare_split.json")["rare"]),
        zero_shot={name: frozenset(splits[name]) for name in ZERO_SHOT_SPLITS},
    )
