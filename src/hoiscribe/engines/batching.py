"""Micro-batching for engines that batch themselves but run synchronously (transformers).

Agent rollouts, expression workflows and stages with concurrency > 1 call an engine one small
request list at a time from many coroutines. For a synchronous engine each call would become
its own thread running its own ``generate`` on the same model: batch size 1, and several
generate calls racing on one device. The batcher queues concurrent calls and hands them to the
engine as one batch at a time.
"""

from __future__ import annotations

import asyncio

from hoiscribe.core.batcher import Batcher
from hoiscribe.engines.base import Completion, Engine, Request


class MicroBatcher(Engine):
    """Serves concurrent ``agenerate`` calls with one ``generate`` call per gathered batch."""

    batches_itself = True

    def __init__(self, inner: Engine, max_batch: int = 8, max_wait_s: float = 0.005) -> None:
        self.inner = inner
        self.max_batch = max(1, int(max_batch))
        self.max_wait_s = float(max_wait_s)
        self.name = inner.name
        self.needs_images = inner.needs_images
        self.reads_prompt = inner.reads_prompt
        self._batcher: Batcher[Request, Completion] = Batcher(inner.generate, self.max_batch, self.max_wait_s)

    @property
    def batch_sizes(self) -> list[int]:
        """What the engine was actually given, for stats and tests."""
        return self._batcher.batch_sizes

    def fingerprint(self) -> str:
        return self.inner.fingerprint()

    def generate(self, requests: list[Request]) -> list[Completion]:
        return self.inner.generate(requests)

    def close(self) -> None:
        self.inner.close()

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return list(await asyncio.gather(*(self._batcher.submit(r) for r in requests)))


def with_micro_batching(engine: Engine, max_batch: int = 8, max_wait_s: float = 0.005) -> Engine:
    """Wrap ``engine`` when it batches itself but has no async path of its own; else return it."""
    if engine.batches_itself and type(engine).agenerate is Engine.agenerate and not isinstance(engine, MicroBatcher):
        return MicroBatcher(engine, max_batch, max_wait_s)
    return engine
