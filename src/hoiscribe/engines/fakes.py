"""Stand-in engines for benchmarks, tests and dry runs: deterministic text, real timing.

``SleepEngine`` waits a fixed time per request (an ideal inference server); ``FlakyEngine``
fails on chosen calls (exceptions, timeouts, transient errors) to exercise retries.
Load them by path: ``engine: {name: "hoiscribe.engines.fakes:SleepEngine"}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from typing import Any

from hoiscribe.engines.base import Completion, Engine, Request


def echo_text(request: Request) -> str:
    """A deterministic answer that depends on the request: the task's shape, no model."""
    if request.task == "examine":
        return '```json\n{"verdict": "PASS", "problems": []}\n```'
    prior = (request.facts or {}).get("prior_text") or ""
    first = prior.split("\n", 1)[0].strip()
    digest = hashlib.sha1(request.content_key().encode()).hexdigest()[:8]
    return f"{first or 'A person.'} [{request.task} {digest}]"


class SleepEngine(Engine):
    """Answers after ``delay_s`` per call (async, so many calls overlap)."""

    name = "sleep"

    def __init__(self, model: str | None = None, delay_s: float = 0.02, **_: Any) -> None:
        self.model = model or "sleep"
        self.delay_s = float(delay_s)
        self.calls = 0

    def fingerprint(self) -> str:
        return f"sleep:{self.model}:{self.delay_s}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        time.sleep(self.delay_s)
        return [self._answer(r) for r in requests]

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        await asyncio.sleep(self.delay_s)
        return [self._answer(r) for r in requests]

    def _answer(self, r: Request) -> Completion:
        self.calls += 1
        text = echo_text(r)
        return Completion(text, "stop", prompt_tokens=10, completion_tokens=len(text.split()),
                          fingerprint=self.fingerprint())  # fmt: skip


class FlakyEngine(SleepEngine):
    """Fails by request: ids hashing to ``0 mod always_fail_mod`` fail every time; others fail
    their first attempt with an exception (``mod 3 == 1``), a hang past any timeout (``mod 3 == 2``)
    or a transient error completion (``mod 3 == 0``)."""

    name = "flaky"

    def __init__(self, model: str | None = None, delay_s: float = 0.001, always_fail_mod: int = 7,
                 hang_s: float = 5.0, **_: Any) -> None:  # fmt: skip
        super().__init__(model, delay_s)
        self.always_fail_mod = int(always_fail_mod)
        self.hang_s = float(hang_s)
        self.attempts: Counter[str] = Counter()

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            self.attempts[r.request_id] += 1
            h = int(hashlib.sha1(r.request_id.encode()).hexdigest(), 16)
            if h % self.always_fail_mod == 0:
                out.append(Completion("", "error", error="server error 503", transient=True))
                continue
            if self.attempts[r.request_id] == 1:
                kind = h % 3
                if kind == 1:
                    raise ConnectionResetError("connection reset by peer")
                if kind == 2:
                    await asyncio.sleep(self.hang_s)
                if kind == 0:
                    out.append(Completion("", "error", error="429 too many requests", transient=True))
                    continue
            await asyncio.sleep(self.delay_s)
            out.append(self._answer(r))
        return out
