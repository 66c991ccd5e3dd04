"""Running one stage over one work unit: build, generate (with retries), parse, append rows.

Every sample ends with exactly one row per stage: ``ok``, ``dropped`` (bad input, never
retried) or ``failed`` (transient failures past the retry bound, or an unparseable answer;
retried on the next run, where the request cache makes a parser fix free). A failure that is no
sample's fault (the engine cannot serve anyone: API key refused, unknown model, server down)
writes no row: the stage stops with ``StageStopped`` and the unit keeps no done marker.

Retries and row building live in ``attempt``, the reflection loop in ``reflection``.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.datasets.codec import PACKED_RECORD_KEYS, Packed, packed_record_parts
from hoiscribe.engines.base import Completion, Engine, ImagePart, Request, Sampling
from hoiscribe.engines.images import ImageError, prepare_image
from hoiscribe.run.attempt import (
    generate_with_retries,
    make_row,
    reparsed,
    row_from_completion,
    stopped,
)
from hoiscribe.run.cache import UnitCache, cache_key
from hoiscribe.run.config import StageConfig
from hoiscribe.run.parts import RecordParts, unit_part, write_part
from hoiscribe.run.reflection import reflect
from hoiscribe.run.rows import last_rows
from hoiscribe.run.store import Sealer, UnitFile
from hoiscribe.tasks.base import ParseError, Task

INLINE_CHUNK = 512
_SAMPLE_ID = attrgetter("sample.sample_id")


@dataclass(slots=True)
class WorkItem:
    """One sample entering a stage, with the text of its input stage (None for the first)."""

    sample: Any  # a reader's record: sample_id, image_path and as_record() (Sample, PosePair, ...)
    prior_text: str | None = None
    record: dict[str, Any] | None = None  # seed fields, stored in first-stage rows for merge
    digest: str | None = None  # the sample's input digest (annotation + image identity), kept in its rows


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
    records_dir: Path | None = None  # the first stage writes its units' seed records here
    trusted_prior: bool = False  # the input text is the grounded engine's own, and so is this stage's engine
    sealer: Sealer | None = None  # set while a driver runs units: done markers are written behind the work
    part_names: list[str] | None = None  # a one-stage run's merged field names: its units' parts are written

    def __post_init__(self) -> None:
        # the same for every row of the stage: computed once, not per row
        self.engine_fingerprint = self.engine.fingerprint()
        self.sampling_dict = self.config.sampling.model_dump()
        s = self.config.sampling
        self._sampling = Sampling(temperature=s.temperature, top_p=s.top_p, max_tokens=s.max_tokens, seed=s.seed)
        # the direct path (``_run_direct``): an inline engine that answers from facts, nothing cached or checked
        self.direct = (self.engine.inline and self.cache_dir is None and not self.reflects
                       and not self.engine.reads_prompt and type(self.task).build is Task.build
                       and callable(getattr(self.engine, "write_facts", None)))  # fmt: skip
        # ... whose task reads packed samples: the unit's samples stay packed (``SampleIndex.load_packed``)
        self.reads_packed = self.direct and self.task.reads_packed

    @property
    def reflects(self) -> bool:
        return bool(self.config.verify) or self.grounding

    @property
    def sampling(self) -> Sampling:
        return self._sampling

    @property
    def uses_images(self) -> bool:
        return self.task.needs_image and self.engine.needs_images


def input_digest(items: list[WorkItem]) -> str:
    """What a unit's stage output depends on: its sample ids, input texts and input digests (content)."""
    ordered = sorted(items, key=_SAMPLE_ID)  # one hash of the joined lines: what one update per line gave
    text = "".join([f"{it.sample.sample_id}\0{it.prior_text or ''}\0{it.digest or ''}\1" for it in ordered])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


async def run_unit(run: StageRun, unit: str, items: list[WorkItem]) -> dict[str, dict[str, Any]]:
    """Bring one unit of this stage to done; returns the final row of each of ``items``.

    A sample is redone when it has no row, a failed row, or a row whose ``input_digest`` is not the sample's
    (its input changed: counted as ``input_changed``; the new row supersedes it). A row with no digest (older
    versions) counts as unchanged, so old runs resume as they were, and is stamped with the current digest.
    Rows of samples the unit no longer holds are dropped; a unit appended to since its marker is checked."""
    uf = UnitFile(run.out_dir, unit)
    digest = input_digest(items)
    marker = uf.done_marker() or {}
    all_rows = uf.read()
    current = last_rows(all_rows)
    if (marker.get("input_digest") == digest and marker.get("rows") == len(all_rows)
            and marker.get("parser_version") == run.task.parser_version
            and all(it.sample.sample_id in current and current[it.sample.sample_id]["status"] != "failed"
                    for it in items)):  # fmt: skip
        run.counters["skipped_done"] += len(items)
        run.on_rows(len(items), 0)
        return current

    todo: list[WorkItem] = [] if current else list(items)  # a unit never run: every item is to do
    reparse: list[tuple[WorkItem, dict[str, Any]]] = []
    stamped = 0
    for it in items if current else ():
        row = current.get(it.sample.sample_id)
        if row is not None and it.digest is not None and row.get("input_digest") != it.digest:
            if row.get("input_digest") is None:  # an older version's row: unchanged, keyed from now on
                row = current[it.sample.sample_id] = dict(row, input_digest=it.digest)
                stamped += 1
            else:
                run.counters["input_changed"] += 1
                row = None
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
            new = [reparsed(run, row) for _, row in reparse]
            uf.append(new)
            _note(run, new, current)
        if todo:
            if run.direct:
                _run_direct(run, todo, uf, current)
            elif run.engine.inline and cache is None and not run.reflects:
                _run_inline(run, todo, uf, current)
            else:
                await _run_async(run, todo, uf, current, cache)
    finally:
        if cache is not None:
            cache.close()
    if len(current) != len(items):  # rows of samples this unit no longer holds: dropped
        current = {it.sample.sample_id: current[it.sample.sample_id] for it in items}
    rows_on_disk = len(all_rows) + len(reparse) + len(todo)
    compacted = list(current.values()) if rows_on_disk != len(current) or stamped else None
    packed: set[str] = set()  # sample ids whose seed records were written from packed lists (known keys)
    records = unit_records(items, packed) if run.records_dir is not None else None
    part = None  # a one-stage run: what the merge copies instead of reading the unit back (``run.parts``)
    if run.part_names is not None and records is not None:
        clean = packed if PACKED_RECORD_KEYS.isdisjoint(run.part_names) else ()
        records, part = unit_part(current, records, run.part_names, clean)  # records: in the part's order
    records_bytes = None if records is None else b"".join([k + b"\t" + r + b"\n" for _, (_, k, r) in records])
    marker = {"input_digest": digest, "parser_version": run.task.parser_version, "rows": len(current),
              "stage_fingerprint": run.fingerprint, "finished_at": time.time()}  # fmt: skip

    def seal() -> None:
        records_path = (run.records_dir or run.out_dir) / f"records-{unit}.jsonl"
        if records_bytes is not None:  # before the marker: a done unit always has its records
            atomic_write_bytes(records_path, records_bytes)
        uf.finish(compacted, marker)
        if part is not None:  # after: it stamps the unit's final files
            write_part(run.out_dir / f"merged-{unit}.part", uf.path, records_path, run.part_names, *part)  # type: ignore[arg-type]

    if run.sealer is not None:
        run.sealer.submit(seal)  # its fsyncs wait on the disk while the next unit is worked on
    else:
        seal()
    return current


def unit_records(items: list[WorkItem], packed: set[str] | None = None) -> list[tuple[str, RecordParts]]:
    """(sample id, (sort key, its JSON, the record's JSON)) of each item, for the records file; the ids
    of those written from packed lists (``codec.PACKED_RECORD_KEYS``) are added to ``packed``."""
    out = []
    for it in items:
        sid = it.sample.sample_id
        if it.record is None and type(it.sample) is Packed and (got := packed_record_parts(it.sample.data)):
            out.append((sid, got))  # the same bytes, straight from the packed sample
            if packed is not None:
                packed.add(sid)
            continue
        rec = it.record if it.record is not None else it.sample.as_record()
        key = [rec.get("image_id", 0), rec.get("instance_id", 0), rec.get("file_name", ""), sid]
        out.append((sid, (key, orjson.dumps(key), orjson.dumps(rec))))
    return out


def _note(run: StageRun, rows: list[dict[str, Any]], current: dict[str, dict[str, Any]]) -> None:
    statuses = Counter([r["status"] for r in rows])
    current.update([(r["sample_id"], r) for r in rows])
    run.counters.update(statuses)
    run.on_rows(len(rows), len(rows) - statuses["ok"])


def _build(run: StageRun, it: WorkItem, image: Any = None) -> Request:
    render = run.engine.reads_prompt
    facts = run.task.facts(it.sample)
    if run.trusted_prior:  # the grounded engine wrote the input: true by construction, not re-checked
        facts["prior_grounded"] = True
    if run.config.draw_boxes and image is not None:
        image = run.task.mark_image(image, it.sample)
        facts = dict(facts, boxes_drawn=True)  # the prompt says so, and the request hashes differently
    return run.task.build(it.sample, facts, it.prior_text, run.sampling, image, render)


def _facts_only(run: StageRun, it: WorkItem, image: Any = None) -> Request:
    """The request an engine that reads only facts gets (inline, no cache: nothing hashes it): the
    task's payload without rendering a prompt or listing images nobody reads."""
    facts = run.task.facts(it.sample)
    if run.trusted_prior:
        facts["prior_grounded"] = True
    if it.prior_text is not None:
        facts = dict(facts, prior_text=it.prior_text)
    return Request(task=run.task.name, messages=[], sampling=run.sampling, facts=facts, request_id=it.sample.sample_id)


def _run_inline(run: StageRun, todo: list[WorkItem], uf: UnitFile, current: dict[str, dict[str, Any]]) -> None:
    """Cheap CPU engines (grounded): no event loop per sample, whole chunks per call."""
    light = not run.engine.reads_prompt and type(run.task).build is Task.build
    if light and callable(getattr(run.engine, "write_facts", None)):
        _run_direct(run, todo, uf, current)
        return
    build = _facts_only if light else _build
    for start in range(0, len(todo), INLINE_CHUNK):
        chunk = todo[start : start + INLINE_CHUNK]
        rows: list[dict[str, Any]] = []
        built: list[tuple[WorkItem, Request]] = []
        for it in chunk:
            try:
                built.append((it, build(run, it)))
            except (ValueError, KeyError, TypeError) as exc:
                rows.append(make_row(run, it, None, None, 0, status="dropped", reason=f"bad sample: {exc}"))
        completions = run.engine.generate([r for _, r in built])
        if fatal := next((c for c in completions if c.fatal), None):
            raise stopped(run, fatal.error)
        for (it, req), comp in zip(built, completions, strict=True):
            rows.append(row_from_completion(run, it, req, comp, 1))
        uf.append(rows)
        _note(run, rows, current)


def _run_direct(run: StageRun, todo: list[WorkItem], uf: UnitFile, current: dict[str, dict[str, Any]]) -> None:
    """An engine that answers synchronously from facts (``write_facts``: the grounded engine): one call per
    sample, no ``Request``/``Completion`` objects; the rows are those ``_run_inline`` writes, field for field
    (``timings`` empty: the per-sample clock was the larger part of what it measured)."""
    write = run.engine.write_facts  # type: ignore[attr-defined]
    task, facts_of, parse = run.task, run.task.facts, run.task.parse
    from_packed = task.facts_packed
    # a first stage's packed samples: the text straight from the packed list (no facts) where engine and task can
    write_packed = getattr(run.engine, "write_packed", None) if run.reads_packed and task.writes_packed else None
    name, seed, prior_grounded = task.name, run.sampling.seed, run.trusted_prior
    # every row is a copy of this one with its own fields set: a copy costs a fifth of building the dict
    template = {"sample_id": None, "stage": run.config.name, "task": name, "status": "ok", "output": None,
                "parse_error": None, "reason": None, "raw": None, "prompt_hash": None,
                "engine": run.engine_fingerprint, "stage_fingerprint": run.fingerprint, "sampling": run.sampling_dict,
                "attempt": 1, "finish_reason": "stop", "prompt_tokens": 0, "completion_tokens": 0, "timings": None,
                "meta": None, "parser_version": task.parser_version, "input_digest": None}  # fmt: skip
    for start in range(0, len(todo), INLINE_CHUNK):
        rows: list[dict[str, Any]] = []
        for it in todo[start : start + INLINE_CHUNK]:
            sample = it.sample
            written = None
            if write_packed is not None and it.prior_text is None and type(sample) is Packed:
                written = write_packed(name, sample.data, seed)
            if written is not None:
                text, error = written
            else:
                try:
                    facts = _facts_of(sample, from_packed, facts_of)
                except (ValueError, KeyError, TypeError) as exc:
                    rows.append(make_row(run, it, None, None, 0, status="dropped", reason=f"bad sample: {exc}"))
                    continue
                if prior_grounded:
                    facts["prior_grounded"] = True
                if it.prior_text is not None:
                    facts = dict(facts, prior_text=it.prior_text)
                text, error = write(name, facts, seed)
            if error is not None:
                rows.append(make_row(run, it, None, _ERROR(error), 1, status="dropped", reason=error))
                continue
            row = template.copy()
            row["sample_id"], row["raw"], row["input_digest"] = sample.sample_id, text, it.digest
            row["completion_tokens"], row["timings"], row["meta"] = len(text.split()), {}, {}
            try:
                row["output"] = parse(text)
            except ParseError as exc:
                row["status"], row["parse_error"], row["reason"] = "failed", str(exc), f"parse error: {exc}"
            if it.record is not None:
                row["record"] = it.record
            rows.append(row)
        uf.append(rows)
        _note(run, rows, current)


def _facts_of(sample: Any, from_packed: Callable[[list[Any]], Any], facts_of: Callable[[Any], Any]) -> Any:
    """A sample's facts: read off the packed list where the task can, else from the (unpacked) sample."""
    if type(sample) is Packed:
        facts = from_packed(sample.data)
        return facts if facts is not None else facts_of(sample.unpacked())
    return facts_of(sample)


def _ERROR(message: str) -> Completion:
    return Completion("", "error", error=message)


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
                part, caps = ImagePart(path=it.sample.image_path), (cfg.max_pixels, cfg.max_image_pixels)
                image = await loop.run_in_executor(run.image_pool, prepare_image, part, *caps)
            except ImageError as exc:
                return make_row(run, it, None, None, 0, status="dropped", reason=str(exc))
        try:
            return _build(run, it, image)
        except (ValueError, KeyError, TypeError) as exc:
            return make_row(run, it, None, None, 0, status="dropped", reason=f"bad sample: {exc}")

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
                    answered = await generate_with_retries(run, [ready[i][1] for i in missing])
                for i, (comp, attempt) in zip(missing, answered, strict=True):
                    results[i] = (comp, attempt)
                    if cache is not None:
                        cache.put(keys[i], comp)
            for (it, req), res in zip(ready, results, strict=True):
                assert res is not None
                row = row_from_completion(run, it, req, res[0], res[1])
                if row["status"] == "ok" and run.reflects:
                    row = await reflect(run, it, req, row)
                rows.append(row)
            uf.append(rows)
            _note(run, rows, current)

    size = cfg.batch_size
    batches = [asyncio.ensure_future(one_batch(todo[i : i + size])) for i in range(0, len(todo), size)]
    try:
        await asyncio.gather(*batches)
    finally:  # stopped (or cancelled): end the batches still in flight, their samples get no row
        for b in batches:
            b.cancel()
        await asyncio.gather(*batches, return_exceptions=True)
