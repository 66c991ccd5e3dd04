"""The embedded grounded engine: asks each request's task for its rule-based writer.

No weights and deterministic for a given seed: a task's ``write(facts, rng)`` phrases the
facts the request carries (HOI text, pose transitions, referring expressions each own theirs),
so the engine itself knows no feature.

Each request's ``rng`` is seeded from the sampling seed and the sample id through CRC-32 and a
SplitMix64 generator rather than ``random.Random(str)`` (a SHA-512 and a 2.5 KB Mersenne state per
sample): the same text for the same sample in any order, at a fraction of the cost.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable
from typing import Any

from hoiscribe.core.registry import CatalogError
from hoiscribe.engines.base import Completion, Engine, EngineOptions, Request
from hoiscribe.tasks.base import Task


def _catalog_task(name: str) -> Task:
    from hoiscribe.catalog import get_task

    return get_task(name)


_MASK = (1 << 64) - 1


class SampleRandom(random.Random):
    """A ``random.Random`` on SplitMix64: every method (choice, shuffle, sample, ...) works, and
    seeding is one integer, not a Mersenne Twister initialisation."""

    def __init__(self, seed: int = 0) -> None:
        self._state = seed & _MASK
        self.gauss_next = None

    def seed(self, a: Any = None, version: int = 2) -> None:
        self._state = (a if isinstance(a, int) else zlib.crc32(repr(a).encode())) & _MASK
        self.gauss_next = None

    def getstate(self) -> Any:
        return self._state

    def setstate(self, state: Any) -> None:
        self._state = state

    def _next(self) -> int:
        self._state = z = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        return (self._next() >> 11) * (1.0 / 9007199254740992.0)

    def _randbelow(self, n: int) -> int:
        """``Random._randbelow_with_getrandbits`` with the SplitMix64 step inlined: the same draws."""
        k = n.bit_length()
        if k > 64:
            r = self.getrandbits(k)
            while r >= n:
                r = self.getrandbits(k)
            return r
        shift = 64 - k
        while True:
            self._state = z = (self._state + 0x9E3779B97F4A7C15) & _MASK
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            r = (z ^ (z >> 31)) >> shift
            if r < n:
                return r

    def choice(self, seq: Any) -> Any:
        """``Random.choice`` (the writers' most frequent draw) in one call: the same element."""
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        return seq[self._randbelow(n)]

    def getrandbits(self, k: int) -> int:
        if k <= 64:
            return self._next() >> (64 - k) if k else 0
        out, bits = 0, 0
        while bits < k:
            out = (out << 64) | self._next()
            bits += 64
        return out >> (bits - k)


def sample_rng(seed: int, sample_id: str) -> SampleRandom:
    """The generator of one request: a function of the sampling seed and the sample id only."""
    return SampleRandom(((seed & 0xFFFFFFFF) << 32) | zlib.crc32(sample_id.encode()))


class GroundedEngine(Engine):
    """Rule-based engine that needs no model; the default on a laptop and in tests."""

    name = "grounded"
    batches_itself = False
    needs_images = False
    reads_prompt = False
    inline = True
    VERSION = "2"  # 2: per-sample SplitMix64 generators (other phrasings than version 1's Random(str))
    options_model = EngineOptions  # none; ``tasks`` is a constructor argument for injection, not an option
    # text this engine wrote in an earlier stage is true by construction: its examine stage does not check it
    # again (the run layer marks such requests ``prior_grounded``); False re-checks it (tests of the checker)
    trusts_own_text = True

    def __init__(self, model: str | None = None, tasks: Callable[[str], Task] = _catalog_task, **options: Any) -> None:
        self.parse_options(options)  # it takes none: any option is an EngineError naming it
        self.model = model or "rules"
        self._lookup = tasks
        self._tasks: dict[str, Task] = {}
        self._fingerprint = f"grounded:{self.model}:v{self.VERSION}"
        self._packed_rng = SampleRandom()  # reseeded per ``write_packed`` call (a Random is a 2.5 KB object)

    def fingerprint(self) -> str:
        return self._fingerprint

    def generate(self, requests: list[Request]) -> list[Completion]:
        return [self._one(r) for r in requests]

    def write_facts(self, task_name: str, facts: dict[str, Any], seed: int) -> tuple[str | None, str | None]:
        """(text, None) or (None, error) for one request's facts, without a ``Request`` or ``Completion``:
        the run layer's direct path for an engine that answers synchronously from facts. The same text
        as ``generate`` gives the same facts (the facts carry ``sample_id``; the caller passes the seed)."""
        rng = sample_rng(seed, str(facts.get("sample_id", "")))
        if not self.trusts_own_text and "prior_grounded" in facts:
            facts = {k: v for k, v in facts.items() if k != "prior_grounded"}
        try:
            task = self._tasks.get(task_name)
            if task is None:
                task = self._tasks[task_name] = self._lookup(task_name)
            return task.write(facts, rng), None
        except (CatalogError, NotImplementedError):
            return None, f"grounded engine has no task {task_name!r}"
        except (KeyError, TypeError, ValueError) as exc:
            return None, f"bad facts: {exc!r}"

    def write_packed(self, task_name: str, data: list[Any], seed: int) -> tuple[str | None, str | None] | None:
        """``write_facts`` of a packed sample's facts for a first stage, from the packed list itself when the
        task can (``Task.write_packed``): the same text; None when it cannot (the caller builds the facts)."""
        try:
            task = self._tasks.get(task_name)
            if task is None:
                task = self._tasks[task_name] = self._lookup(task_name)
        except (CatalogError, NotImplementedError):
            return None  # the facts path reports it
        if not task.writes_packed:
            return None
        # ``sample_rng(seed, id)`` without a new object: the direct path calls this from one thread, and the
        # writers keep no generator past the call
        rng = self._packed_rng
        rng._state, rng.gauss_next = ((seed & 0xFFFFFFFF) << 32) | zlib.crc32(str(data[1]).encode()), None
        try:
            text = task.write_packed(data, rng)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # the facts path gives this sample its row (or its error)
        return None if text is None else (text, None)

    def _error(self, message: str) -> Completion:
        return Completion("", "error", fingerprint=self.fingerprint(), error=message)

    def _one(self, request: Request) -> Completion:
        t0 = time.perf_counter()
        facts = request.facts
        if facts is None:
            return self._error("request carries no facts")
        rng = sample_rng(request.sampling.seed, str(facts.get("sample_id", "")))
        if not self.trusts_own_text and "prior_grounded" in facts:
            facts = {k: v for k, v in facts.items() if k != "prior_grounded"}
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
            fingerprint=self._fingerprint,
        )
