"""Micro-batching: concurrent single calls to a synchronous batching engine become batches."""

import asyncio
import threading
import time

import pytest

from hoiscribe.engines.base import Completion, Engine, Request
from hoiscribe.engines.batching import MicroBatcher, with_micro_batching
from hoiscribe.testing.fakes import SleepEngine


class SyncBatchEngine(Engine):
    """Answers each request with its id; records batch sizes and how many calls overlapped."""

    batches_itself = True

    def __init__(self, fail_on: str | None = None) -> None:
        self.sizes: list[int] = []
        self.active = 0
        self.max_active = 0
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def fingerprint(self) -> str:
        return "sync-batch"

    def generate(self, requests: list[Request]) -> list[Completion]:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(0.01)
            if self.fail_on and any(r.request_id == self.fail_on for r in requests):
                raise RuntimeError("device lost")
            self.sizes.append(len(requests))
            return [Completion(r.request_id) for r in requests]
        finally:
            with self._lock:
                self.active -= 1


def _many(engine: Engine, n: int) -> list[Completion]:
    async def main() -> list[list[Completion]]:
        return await asyncio.gather(*(engine.agenerate([Request("t", [], request_id=f"r{i}")]) for i in range(n)))

    return [c for batch in asyncio.run(main()) for c in batch]


def test_concurrent_calls_share_batches_and_never_race() -> None:
    inner = SyncBatchEngine()
    engine = with_micro_batching(inner, max_batch=8)
    assert isinstance(engine, MicroBatcher) and engine.fingerprint() == "sync-batch"
    out = _many(engine, 20)
    assert [c.text for c in out] == [f"r{i}" for i in range(20)]  # each caller gets its own answer
    assert inner.sizes == [8, 8, 4] and inner.max_active == 1
    out = _many(engine, 3)  # a new event loop (the run layer runs one per stage) works too
    assert [c.text for c in out] == ["r0", "r1", "r2"]


def test_a_failing_batch_fails_its_callers_only() -> None:
    engine = with_micro_batching(SyncBatchEngine(fail_on="r3"), max_batch=4)

    async def main() -> list[object]:
        calls = [engine.agenerate([Request("t", [], request_id=f"r{i}")]) for i in range(8)]
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    assert all(isinstance(r, RuntimeError) for r in results[:4])
    assert [r[0].text for r in results[4:]] == ["r4", "r5", "r6", "r7"]


class AsyncBatchEngine(SyncBatchEngine):
    async def agenerate(self, requests: list[Request]) -> list[Completion]:  # e.g. an HTTP client
        return self.generate(requests)


def test_only_synchronous_batching_engines_are_wrapped() -> None:
    native = AsyncBatchEngine()  # its own agenerate overlaps calls (servers): serialising would cost throughput
    assert with_micro_batching(native) is native
    one_by_one = SleepEngine()  # does not batch at all
    assert with_micro_batching(one_by_one) is one_by_one


@pytest.mark.parametrize("max_batch", [1, 3])
def test_batch_bound(max_batch: int) -> None:
    inner = SyncBatchEngine()
    _many(with_micro_batching(inner, max_batch=max_batch), 6)
    assert max(inner.sizes) == max_batch and sum(inner.sizes) == 6
