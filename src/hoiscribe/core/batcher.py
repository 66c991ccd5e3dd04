"""One batched call for the jobs that concurrent coroutines submit at about the same moment.

Sixteen agent rollouts in flight each call ``detect_objects`` (or an engine's ``generate``)
about when the others do. Run one by one, a model sees batch size 1 and the calls race on one
device. ``Batcher`` gathers the jobs that arrive within ``max_wait_s`` (up to ``max_batch``)
and hands them to a batched function in a worker thread, one batch after another, so the event
loop keeps driving everything else. The tools' detectors and pose models and the engines'
micro-batcher both use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class Batcher(Generic[J, R]):
    """``await submit(job)`` -> ``fn([jobs...])[i]``, with concurrent jobs run as one batch."""

    def __init__(self, fn: Callable[[Sequence[J]], list[R]], max_batch: int = 16, max_wait_s: float = 0.002) -> None:
        self.fn = fn
        self.max_batch = max(1, int(max_batch))
        self.max_wait_s = float(max_wait_s)
        self._queue: list[tuple[J, asyncio.Future[R]]] = []
        self._worker: asyncio.Task[None] | None = None
        self.batch_sizes: list[int] = []  # what fn was given, for stats and tests

    async def submit(self, job: J) -> R:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[R] = loop.create_future()
        self._queue.append((job, fut))
        if self._worker is None or self._worker.done() or self._worker.get_loop() is not loop:
            self._worker = loop.create_task(self._drain())
        return await fut

    async def _drain(self) -> None:
        while self._queue:
            if len(self._queue) < self.max_batch:
                await asyncio.sleep(self.max_wait_s)
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            self.batch_sizes.append(len(batch))
            try:
                results = await asyncio.to_thread(self.fn, [j for j, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"batched call returned {len(results)} results for {len(batch)} jobs")
            except Exception as exc:  # each caller sees the failure as its own tool failure
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), res in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(res)
