"""Shared test helpers: a scripted engine that plays workflow roles from queues of answers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hoiscribe.engines.base import Completion, Engine, Request


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
