"""One attempt at a request: call the engine with bounded retries, and turn the answer into a row.

Shared by the unit loop (``stage``) and the reflection loop (``reflection``).
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any

from hoiscribe.engines.base import Completion, EngineError, EngineFatalError, Request
from hoiscribe.tasks.base import ParseError

if TYPE_CHECKING:
    from hoiscribe.run.stage import StageRun, WorkItem


class StageStopped(EngineError):
    """A stage stopped early because its engine can serve no request (API key refused, unknown model,
    server unreachable): no sample is blamed, the unit keeps no done marker, a rerun resumes it."""


async def generate_with_retries(run: StageRun, requests: list[Request]) -> list[tuple[Completion, int]]:
    """Call the engine; retry transient failures with exponential backoff and jitter."""
    cfg = run.config
    results: list[tuple[Completion, int]] = [(Completion(""), 0)] * len(requests)
    pending = list(range(len(requests)))
    for attempt in range(1, cfg.max_attempts + 1):
        batch = [requests[i] for i in pending]
        try:
            coro = run.engine.agenerate(batch)
            comps = await (asyncio.wait_for(coro, cfg.timeout_s) if cfg.timeout_s else coro)
            if len(comps) != len(batch):
                raise RuntimeError(f"engine returned {len(comps)} completions for {len(batch)} requests")
        except TimeoutError:
            comps = [failure(f"timed out after {cfg.timeout_s}s") for _ in batch]
        except EngineFatalError as exc:  # the engine says no request can be served
            raise stopped(run, str(exc)) from exc
        except Exception as exc:  # an engine bug or outage must not stop the run
            comps = [failure(f"{type(exc).__name__}: {exc}") for _ in batch]
        if fatal := next((c for c in comps if c.fatal), None):  # not retried: no sample is to blame
            raise stopped(run, fatal.error)
        retry = []
        for i, comp in zip(pending, comps, strict=True):
            results[i] = (comp, attempt)
            if comp.error is not None and comp.transient and attempt < cfg.max_attempts:
                retry.append(i)
        if not retry:
            break
        run.counters["retries"] += len(retry)
        await asyncio.sleep(cfg.backoff_s * 2 ** (attempt - 1) * (0.5 + random.random()))
        pending = retry
    return results


def stopped(run: StageRun, reason: str | None) -> StageStopped:
    return StageStopped(f"stage {run.config.name!r} stopped early: {reason or 'the engine cannot serve requests'}."
                        " No sample was marked dropped; rerun to resume once this is fixed")  # fmt: skip


def failure(message: str) -> Completion:
    return Completion("", "error", error=message, transient=True)


def prompt_hash(req: Request) -> str:
    return req.content_key()[:16]


def _prompt_hash(run: StageRun, req: Request | None) -> str | None:
    """Kept where a request cache hashes the request anyway; a run without one spends no hash on it."""
    return prompt_hash(req) if req is not None and run.cache_dir is not None else None


def row_from_completion(run: StageRun, it: WorkItem, req: Request, comp: Completion, attempt: int) -> dict[str, Any]:
    if comp.error is not None:
        status = "failed" if comp.transient else "dropped"
        return make_row(run, it, req, comp, attempt, status=status, reason=comp.error)
    try:
        output = run.task.parse(comp.text)
    except ParseError as exc:
        return make_row(
            run, it, req, comp, attempt, status="failed", reason=f"parse error: {exc}", parse_error=str(exc)
        )
    return make_row(run, it, req, comp, attempt, status="ok", output=output)


def make_row(
    run: StageRun,
    it: WorkItem,
    req: Request | None,
    comp: Completion | None,
    attempt: int,
    status: str,
    output: Any = None,
    reason: str | None = None,
    parse_error: str | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sample_id": it.sample.sample_id,
        "stage": run.config.name,
        "task": run.task.name,
        "status": status,
        "output": output,
        "parse_error": parse_error,
        "reason": reason,
        "raw": comp.text if comp is not None else None,
        "prompt_hash": _prompt_hash(run, req),
        "engine": comp.fingerprint if comp is not None and comp.fingerprint else run.engine_fingerprint,
        "stage_fingerprint": run.fingerprint,
        "sampling": run.sampling_dict,  # one dict for the stage's rows: rows are written, never edited in place
        "attempt": attempt,
        "finish_reason": comp.finish_reason if comp is not None else None,
        "prompt_tokens": comp.prompt_tokens if comp is not None else 0,
        "completion_tokens": comp.completion_tokens if comp is not None else 0,
        "timings": comp.timings if comp is not None else {},
        "meta": comp.meta if comp is not None else {},
        "parser_version": run.task.parser_version,
        "input_digest": it.digest,
    }
    if it.record is not None:  # seed records live beside the rows (``RunDir.unit_records_path``)
        row["record"] = it.record
    return row


def reparsed(run: StageRun, row: dict[str, Any]) -> dict[str, Any]:
    """A new row from a stored raw answer, parsed by the current parser (no engine call)."""
    new = dict(row, parser_version=run.task.parser_version, parse_error=None, reason=None)
    try:
        new["output"] = run.task.parse(row.get("raw") or "")
        new["status"] = "ok"
    except ParseError as exc:
        new.update(output=None, status="failed", parse_error=str(exc), reason=f"parse error: {exc}")
    return new
