"""Shared test helpers: a scripted engine that plays workflow roles from queues of answers, and the
spatial checker's verdict on a hand-made scene."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hoiscribe.engines.base import Completion, Engine, Request
from hoiscribe.expressions.spatial import SpatialObject, check_expression

SIZE = (800, 450)  # the hand-made scenes' image size


def scene_object(i: str, cat: str, box: tuple[float, float, float, float]) -> SpatialObject:
    return SpatialObject(i, cat, box)


def kinds(text: str, target: str, scene: list[SpatialObject]) -> list[str]:
    """The contradiction types the spatial checker finds in ``text`` said of box ``target``."""
    t = next(o for o in scene if o.id == target)
    return [c["type"] for c in check_expression(text, t, scene, SIZE).contradictions]


class ScriptedEngine(Engine):
    """Answers each role from its own queue (the last answer repeats); records every request."""

    name = "scripted"

    def __init__(self, model: str | None = None, answers: dict[str, list[Any]] | None = None,
                 needs_images: bool = True, **_: Any) -> None:  # fmt: skip
        self.answers = {k: list(v) for k, v in (answers or {}).items()}
        self.needs_images = needs_images
        self.requests: dict[str, list[Request]] = defaultdict(list)

    def fingerprint(self) -> str:
        return "scripted"

    def generate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            role = (r.facts or {}).get("role", "direct")
            self.requests[role].append(r)
            queue = self.answers.get(role) or ["{}"]
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            out.append(answer if isinstance(answer, Completion) else Completion(str(answer)))
        return out
