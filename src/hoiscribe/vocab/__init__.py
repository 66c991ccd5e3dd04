"""Vocabularies shipped as package data: HICO-DET, HAKE, keypoint layouts, SWIG-HOI."""

from hoiscribe.vocab.hake import HAKE_PARTS, PartState, part_group, part_side, part_state
from hoiscribe.vocab.hico import HICO, HOI, hico
from hoiscribe.vocab.keypoints import COCO17, HALPE136, KeypointLayout

__all__ = [
    "COCO17",
    "HAKE_PARTS",
    "HALPE136",
    "HICO",
    "HOI",
    "KeypointLayout",
    "PartState",
    "hico",
    "part_group",
    "part_side",
    "part_state",
]
