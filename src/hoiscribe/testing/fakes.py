"""Stand-in engines for benchmarks, tests and dry runs: deterministic text, real timing.

``SleepEngine`` waits a fixed time per request (an ideal inference server); ``FlakyEngine``
fails on chosen calls (exceptions, timeouts, transient errors) to exercise retries.
Load them by path: ``engine: {name: "hoiscribe.testing.fakes:SleepEngine"}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
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


def swap_sides(text: str) -> str:
    """Exchange the words left and right (a typical VLM mistake)."""
    return re.sub(r"\b(left|right)\b", lambda m: "right" if m.group(1) == "left" else "left", text)


class MistakeEngine(Engine):
    """Grounded text with left and right swapped, until it has been given feedback ``fix_after``
    times (0 = always right, a large number = never fixes). Examine requests get ``verdict``."""

    name = "mistake"

    def __init__(self, model: str | None = None, fix_after: int = 1, verdict: str = "PASS", **_: Any) -> None:
        self.model = model or "mistake"
        self.fix_after = int(fix_after)
        self.verdict = verdict
        self.feedback_seen: Counter[str] = Counter()

    def fingerprint(self) -> str:
        return f"mistake:{self.fix_after}:{self.verdict}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        import random

        from hoiscribe.hoi_text.grounded import describe

        out = []
        for r in requests:
            facts = r.facts or {}
            if r.task == "examine":
                problems = [] if self.verdict == "PASS" else [{"claim": "the text", "why": "examiner says no"}]
                out.append(Completion(json.dumps({"verdict": self.verdict, "problems": problems})))
                continue
            if facts.get("feedback"):
                self.feedback_seen[r.request_id] += 1
            text = describe(facts, random.Random(0))
            if self.feedback_seen[r.request_id] < self.fix_after:
                text = swap_sides(text)
            out.append(Completion(text, fingerprint=self.fingerprint()))
        return out
