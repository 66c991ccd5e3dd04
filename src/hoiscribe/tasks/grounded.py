"""The embedded grounded engine: asks each request's task for its rule-based writer.

No weights and deterministic for a given seed: a task's ``write(facts, rng)`` phrases the
facts the request carries (HOI text, pose transitions, referring expressions each own theirs),
so the engine itself knows no feature.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from hoiscribe.core.registry import CatalogError
from hoiscribe.engines.base import Completion, Engine, EngineOptions, Request
from hoiscribe.tasks.base import Task


def _catalog_task(name: str) -> Task:
    from hoiscribe.catalog import get_task

    return get_task(name)


class GroundedEngine(Engine):
    """Rule-based engine that needs no model; the default on a laptop and in tests."""

    name = "grounded"
    batches_itself = False
    needs_images = False
    reads_prompt = False
    inline = True
    VERSION = "1"
    options_model = EngineOptions  # none; ``tasks`` is a constructor argument for injection, not an option

    def __init__(self, model: str | None = None, tasks: Callable[[str], Task] = _catalog_task, **options: Any) -> None:
        self.parse_options(options)  # it takes none: any option is an EngineError naming it
        self.model = model or "rules"
        self._lookup = tasks
        self._tasks: dict[str, Task] = {}

    def fingerprint(self) -> str:
        return f"grounded:{self.model}:v{self.VERSION}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        return [self._one(r) for r in requests]

    def _error(self, message: str) -> Completion:
        return Completion("", "error", fingerprint=self.fingerprint(), error=message)

    def _one(self, request: Request) -> Completion:
        t0 = time.perf_counter()
        facts = request.facts
        if facts is None:
            return self._error("request carries no facts")
        rng = random.Random(f"{request.sampling.seed}:{facts.get('sample_id', '')}")
        try:
            task = self._tasks.get(request.task)
            if task is None:
                task = self._tasks[request.task] = self._lookup(request.task)
            text = task.write(facts, rng)
        except (CatalogError, NotImplementedError):
            return self._error(f"grounded engine has no task {request.task!r}")
        except (KeyError, TypeError, ValueError) as exc:
            return self._error(f"bad facts: {exc!r}")
        return Completion(
            text,
            "stop",
            prompt_tokens=0,
            completion_tokens=len(text.split()),
            timings={"generate_s": time.perf_counter() - t0},
            fingerprint=self.fingerprint(),
        )
