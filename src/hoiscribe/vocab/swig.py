"""SWiG-HOI: 1000 objects, 407 actions, 14,130 (action, object) interactions and their eval splits.

Ids are 0-based as in the THID / CMD-SE ``swig_v1_categories.py`` lists: object 0 is ``person``;
``frequency`` 0 = unseen (zero-shot), 1 = rare, 2 = non-rare; only interactions with
``evaluation == 1`` (5,539) enter the mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from hoiscribe.vocab._data import load_tsv

FREQUENCY_NAMES = {0: "unseen", 1: "rare", 2: "non_rare"}


@dataclass(frozen=True, slots=True)
class SwigInteraction:
    """One SWiG-HOI interaction class."""

    id: int
    action_id: int
    object_id: int
    frequency: int
    evaluated: bool
    name: str


@dataclass(frozen=True)
class SWIG:
    """The SWiG-HOI vocabulary, loaded once from package data."""

    objects: tuple[str, ...]
    actions: tuple[str, ...]
    interactions: tuple[SwigInteraction, ...]
    _by_pair: dict[tuple[int, int], int] = field(repr=False, compare=False)

    def interaction_id(self, action_id: int, object_id: int) -> int:
        """The interaction id of an (action, object) pair; ``KeyError`` naming both otherwise."""
        try:
            return self._by_pair[(action_id, object_id)]
        except KeyError:
            raise KeyError(f"no SWiG-HOI interaction for action_id={action_id} object_id={object_id}") from None

    @property
    def evaluated(self) -> frozenset[int]:
        return frozenset(i.id for i in self.interactions if i.evaluated)

    def split(self, name: str) -> frozenset[int]:
        """Evaluated interaction ids of one group: ``unseen``, ``rare`` or ``non_rare``."""
        codes = {v: k for k, v in FREQUENCY_NAMES.items()}
        if name not in codes:
            raise KeyError(f"unknown SWiG-HOI split {name!r}; choose one of {', '.join(codes)}")
        return frozenset(i.id for i in self.interactions if i.evaluated and i.frequency == codes[name])


@cache
def swig() -> SWIG:
    """Load the SWiG-HOI vocabulary (cached)."""
    objects = tuple(r[1] for r in sorted(load_tsv("swig_objects.tsv"), key=lambda r: int(r[0])))
    actions = tuple(r[1] for r in sorted(load_tsv("swig_actions.tsv"), key=lambda r: int(r[0])))
    inters = tuple(
        SwigInteraction(
            id=int(r[0]),
            action_id=int(r[1]),
            object_id=int(r[2]),
            frequency=int(r[3]),
            evaluated=r[4] == "1",
            name=r[5],
        )
        for r in sorted(load_tsv("swig_interactions.tsv"), key=lambda r: int(r[0]))
    )
    return SWIG(
        objects=objects,
        actions=actions,
        interactions=inters,
        _by_pair={(i.action_id, i.object_id): i.id for i in inters},
    )
