"""Running one stage over one work unit: build, generate (with retries), parse, append rows.

Every sample ends with exactly one row per stage: ``ok``, ``dropped`` (bad input, never
retried) or ``failed`` (transient failures past the retry bound, or an unparseable answer;
retried on the next run, where the request cache makes a parser fix free).
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoiscribe.catalog import get_task
from hoiscribe.engines.base import Completion, Engine, ImagePart, Request, Sampling
from hoiscribe.engines.images import ImageError, prepare_image
from hoiscribe.run.cache import UnitCache, cache_key
from hoiscribe.run.config import StageConfig
from hoiscribe.run.rows import last_rows, output_text
from hoiscribe.run.store import UnitFile
from hoiscribe.tasks.base import ParseError, Task

INLINE_CHUNK = 512


@dataclass
class WorkItem:
    """One sample entering a stage, with the text of its input stage (None for the first)."""

    sample: Any  # a reader's record: sample_id, image_path and as_record() (Sample, PosePair, ...)
    prior_text: str | None = None
    record: dict[str, Any] | None = None  # seed fields, stored in first-stage rows for merge


@dataclass
class StageRun:
    """Everything a stage needs to process units; built once per stage per invocation."""

    index: int
    config: StageConfig
    task: Task
    engine: Engine
    fingerprint: str
    out_dir: Path
    cache_dir: Path | None
    image_pool: Executor
    counters: Counter[str] = field(default_factory=Counter)
    on_rows: Callable[[int, int], None] = lambda done, failed: None
    examiner: Engine | None = None  # for verify: [examiner]
    grounding: bool = False  # store the grounding check per row

    @property
    def reflects(self) -> bool:
        return bool(self.config.verify) or self.grounding

    @property
    def sampling(self) -> Sampling:
        s = self.config.sampling
        return Sampling(temperature=s.temperature, top_p=s.top_p, max_tokens=s.max_tokens, seed=s.seed)

    @property
    def uses_images(self) -> bool:
        return self.task.needs_image and self.engine.needs_images


def input_digest(items: list[WorkItem]) -> str:
    """What a unit's stage output depends on: its sample ids and their input texts."""
    h = hashlib.sha256()
    for it in sorted(items, key=lambda i: i.sample.sample_id):
        h.update(it.sample.sample_id.encode() + b"\0" + (it.prior_text or "").encode() + b"\1")
    return h.hexdigest()[:24]


async def run_unit(run: StageRun, unit: str, items: list[WorkItem]) -> dict[str, dict[str, Any]]:
    """Bring one unit of this stage to done; returns its final row per sample id."""
    uf = UnitFile(run.out_dir, unit)
    digest = input_digest(items)
    marker = uf.done_marker()
    all_rows = uf.read()
    current = last_rows(all_rows)
    if (
        marker is not None
        and marker.get("input_digest") == digest
        and marker.get("parser_version") == run.task.parser_version
        and all(it.sample.sample_id in current for it in items)
    ):
        run.counters["skipped_done"] += len(items)
        run.on_rows(len(items), 0)
        return current

    todo: list[WorkItem] = []
    reparse: list[tuple[WorkItem, dict[str, Any]]] = []
    for it in items:
        row = current.get(it.sample.sample_id)
        if row is None or row["status"] == "failed":
            todo.append(it)
        elif row["status"] == "ok" and row.get("parser_version") != run.task.parser_version:
            reparse.append((it, row))
        else:
            run.counters["skipped_done"] += 1
            run.on_rows(1, 0)
    cache = UnitCache(run.cache_dir, unit) if run.cache_dir is not None else None
    try:
        if reparse:
            new = [_reparsed(run, row) for _, row in reparse]
            uf.append(new)
            _note(run, new, current)
        if todo:
            if run.engine.inline and cache is None and not run.reflects:
                _run_inline(run, todo, uf, current)
            else:
                await _run_async(run, todo, uf, current, cache)
    finally:
        if cache is not None:
            cache.close()
    rows_on_disk = len(all_rows) + len(reparse) + len(todo)
    compacted = list(current.values()) if rows_on_disk != len(current) else None
    uf.finish(
        compacted,
        {"input_digest": digest, "parser_version": run.task.parser_version, "rows": len(current),
         "stage_fingerprint": run.fingerprint, "finished_at": time.time()},
    )  # fmt: skip
    return current


def _note(run: StageRun, rows: list[dict[str, Any]], current: dict[str, dict[str, Any]]) -> None:
    failed = 0
    for r in rows:
        current[r["sample_id"]] = r
        run.counters[r["status"]] += 1
        failed += r["status"] != "ok"
    run.on_rows(len(rows), failed)


def _build(run: StageRun, it: WorkItem, image: Any = None) -> Request:
    render = run.engine.reads_prompt
    facts = run.task.facts(it.sample)
    if run.config.draw_boxes and image is not None:
        image = run.task.mark_image(image, it.sample)
        facts = dict(facts, boxes_drawn=True)  # the prompt says so, and the request hashes differently
    return run.task.build(it.sample, facts, it.prior_text, run.sampling, image, render)


def _run_inline(run: StageRun, todo: list[WorkItem], uf: UnitFile, current: dict[str, dict[str, Any]]) -> None:
    """Cheap CPU engines (grounded): no event loop per sample, whole chunks per call."""
    for start in range(0, len(todo), INLINE_CHUNK):
        chunk = todo[start : start + INLINE_CHUNK]
        rows: list[dict[str, Any]] = []
        built: list[tuple[WorkItem, Request]] = []
        for it in chunk:
            try:
                built.append((it, _build(run, it)))
            except (ValueError, KeyError, TypeError) as exc:
                rows.append(_row(run, it, None, None, 0, status="dropped", reason=f"bad sample: {exc}"))
        completions = run.engine.generate([r for _, r in built])
        for (it, req), comp in zip(built, completions, strict=True):
            rows.append(_row_from_completion(run, it, req, comp, 1))
        uf.append(rows)
        _note(run, rows, current)


async def _run_async(
    run: StageRun,
    todo: list[WorkItem],
    uf: UnitFile,
    current: dict[str, dict[str, Any]],
    cache: UnitCache | None,
) -> None:
    """Images decode in the pool while earlier requests generate; bounded in-flight work."""
    cfg = run.config
    gen_sem = asyncio.Semaphore(cfg.concurrency)
    prep_sem = asyncio.Semaphore(2 * cfg.concurrency * cfg.batch_size)
    loop = asyncio.get_running_loop()
    fp = run.engine.fingerprint()

    async def prepare(it: WorkItem) -> Request | dict[str, Any]:
        image = None
        if run.uses_images and it.sample.image_path is not None:
            try:
                part = ImagePart(path=it.sample.image_path)
                image = await loop.run_in_executor(run.image_pool, prepare_image, part, cfg.max_pixels)
            except ImageError as exc:
                return _row(run, it, None, None, 0, status="dropped", reason=str(exc))
        try:
            return _build(run, it, image)
        except (ValueError, KeyError, TypeError) as exc:
            return _row(run, it, None, None, 0, status="dropped", reason=f"bad sample: {exc}")

    async def one_batch(batch: list[WorkItem]) -> None:
        async with prep_sem:
            prepared = await asyncio.gather(*(prepare(it) for it in batch))
            rows = [p for p in prepared if isinstance(p, dict)]
            ready = [(it, p) for it, p in zip(batch, prepared, strict=True) if isinstance(p, Request)]
            results: list[tuple[Completion, int] | None] = [None] * len(ready)
            keys = [cache_key(req, fp) for _, req in ready] if cache is not None else []
            missing = []
            for i in range(len(ready)):
                hit = cache.get(keys[i]) if cache is not None else None
                if hit is not None:
                    results[i] = (hit, 0)
                    run.counters["cache_hits"] += 1
                else:
                    missing.append(i)
            if missing:
                async with gen_sem:
                    answered = await _generate_with_retries(run, [ready[i][1] for i in missing])
                for i, (comp, attempt) in zip(missing, answered, strict=True):
                    results[i] = (comp, attempt)
                    if cache is not None:
                        cache.put(keys[i], comp)
            for (it, req), res in zip(ready, results, strict=True):
                assert res is not None
                row = _row_from_completion(run, it, req, res[0], res[1])
                if row["status"] == "ok" and run.reflects:
                    row = await reflect(run, it, req, row)
                rows.append(row)
            uf.append(rows)
            _note(run, rows, current)

    size = cfg.batch_size
    await asyncio.gather(*(one_batch(todo[i : i + size]) for i in range(0, len(todo), size)))


async def _generate_with_retries(run: StageRun, requests: list[Request]) -> list[tuple[Completion, int]]:
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
            comps = [_failure(f"timed out after {cfg.timeout_s}s") for _ in batch]
        except Exception as exc:  # an engine bug or outage must not stop the run
            comps = [_failure(f"{type(exc).__name__}: {exc}") for _ in batch]
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


async def reflect(run: StageRun, it: WorkItem, req: Request, row: dict[str, Any]) -> dict[str, Any]:
    """Verify an answer; on FAIL ask again with the problems as feedback, up to the bound.

    Every attempt is kept in ``history``; ``reflection`` says which attempt passed (or none).
    With no ``verify`` configured this only stores the grounding check.
    """
    cfg = run.config
    facts = {k: v for k, v in (req.facts or {}).items() if k not in ("prior_text", "feedback")}
    image = next((p.image for m in req.messages for p in m.content if isinstance(p, ImagePart)), None)
    history: list[dict[str, Any]] = []
    attempt = 1
    while True:
        verdict, problems = await _judge(run, it, facts, row, image)
        history.append({"attempt": attempt, "output": row["output"], "raw": row["raw"], "verdict": verdict,
                        "problems": problems})  # fmt: skip
        if verdict == "PASS" or not cfg.verify or attempt >= cfg.reflect_attempts:
            break
        feedback = "\n".join(f"- {p['claim']}: {p['why']}" for p in problems)
        render = run.engine.reads_prompt
        retry = run.task.build(it.sample, facts, it.prior_text, run.sampling, image, render, feedback)
        ((comp, tries),) = await _generate_with_retries(run, [retry])
        attempt += 1
        run.counters["reflections"] += 1
        new_row = _row_from_completion(run, it, retry, comp, tries)
        if new_row["status"] != "ok":
            history.append({"attempt": attempt, "output": None, "raw": new_row["raw"], "verdict": "ERROR",
                            "problems": [{"claim": "", "why": new_row["reason"] or ""}]})  # fmt: skip
            break
        row = new_row
    if cfg.verify:
        passed = next((h["attempt"] for h in history if h["verdict"] == "PASS"), None)
        row["history"] = history
        row["reflection"] = {"attempts": attempt, "passed_attempt": passed}
    return row


async def _judge(
    run: StageRun, it: WorkItem, facts: dict[str, Any], row: dict[str, Any], image: Any
) -> tuple[str, list[dict[str, str]]]:
    """PASS/FAIL with problems, from the grounding checker and/or an examiner model."""
    text = output_text(row) or ""
    problems: list[dict[str, str]] = []
    if run.grounding or "grounding" in run.config.verify:
        report = run.task.check(row["output"], facts)
        if report is not None:
            row["grounding"] = report.as_dict()
            if "grounding" in run.config.verify:
                problems += [{"claim": c.text, "why": f"{c.type}: {c.reason}"} for c in report.contradicted]
    if "examiner" in run.config.verify and run.examiner is not None:
        exam = get_task("examine")
        render = run.examiner.reads_prompt
        req = exam.build(it.sample, facts, text, run.sampling, image, render)
        (comp,) = await run.examiner.agenerate([req])
        try:
            verdict = exam.parse(comp.text) if comp.error is None else None
        except ParseError:
            verdict = None
        if verdict is None:
            run.counters["examiner_unusable"] += 1
        elif verdict["verdict"] == "FAIL":
            problems += verdict["problems"] or [{"claim": text[:80], "why": "examiner verdict FAIL"}]
    return ("FAIL" if problems else "PASS"), problems


def _failure(message: str) -> Completion:
    return Completion("", "error", error=message, transient=True)


def _prompt_hash(req: Request) -> str:
    return req.content_key()[:16]


def _row_from_completion(run: StageRun, it: WorkItem, req: Request, comp: Completion, attempt: int) -> dict[str, Any]:
    if comp.error is not None:
        status = "failed" if comp.transient else "dropped"
        return _row(run, it, req, comp, attempt, status=status, reason=comp.error)
    try:
        output = run.task.parse(comp.text)
    except ParseError as exc:
        return _row(run, it, req, comp, attempt, status="failed", reason=f"parse error: {exc}", parse_error=str(exc))
    return _row(run, it, req, comp, attempt, status="ok", output=output)


def _row(
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
        "prompt_hash": _prompt_hash(req) if req is not None else None,
        "engine": comp.fingerprint if comp is not None and comp.fingerprint else run.engine.fingerprint(),
        "stage_fingerprint": run.fingerprint,
        "sampling": run.config.sampling.model_dump(),
        "attempt": attempt,
        "finish_reason": comp.finish_reason if comp is not None else None,
        "prompt_tokens": comp.prompt_tokens if comp is not None else 0,
        "completion_tokens": comp.completion_tokens if comp is not None else 0,
        "timings": comp.timings if comp is not None else {},
        "meta": comp.meta if comp is not None else {},
        "parser_version": run.task.parser_version,
    }
    if it.record is not None:
        row["record"] = it.record
    return row


def _reparsed(run: StageRun, row: dict[str, Any]) -> dict[str, Any]:
    """A new row from a stored raw answer, parsed by the current parser (no engine call)."""
    new = dict(row, parser_version=run.task.parser_version, parse_error=None, reason=None)
    try:
        new["output"] = run.task.parse(row.get("raw") or "")
        new["status"] = "ok"
    except ParseError as exc:
        new.update(output=None, status="failed", parse_error=str(exc), reason=f"parse error: {exc}")
    return new
