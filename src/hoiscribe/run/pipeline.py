"""Run the stages of a pipeline over this rank's work units, stage by stage.

Stage-major order lets each stage hold one model at a time. Units are static per rank, so
a rank always has the earlier stages of its own units; a rerun with another world size
simply regroups units, and done markers and rows tell every rank what is left.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from hoiscribe.catalog import engine_class, get_task, make_engine, read_dataset
from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.core.records import content_digest
from hoiscribe.datasets.base import ReadResult
from hoiscribe.engines.batching import with_micro_batching
from hoiscribe.run.config import PipelineConfig, StageConfig
from hoiscribe.run.lock import holding_run_lock
from hoiscribe.run.rows import Row, output_text
from hoiscribe.run.rundir import Manifest, RunDir, StageEntry
from hoiscribe.run.stage import StageRun, WorkItem, run_unit
from hoiscribe.run.units import default_num_units, unit_name, unit_of, units_for_rank


@dataclass
class StageReport:
    name: str
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    missing_input: int = 0

    def as_dict(self) -> dict[str, Any]:
        processed = sum(self.counts[k] for k in ("ok", "dropped", "failed"))
        return {
            "counts": dict(self.counts),
            "seconds": round(self.seconds, 3),
            "processed_per_s": round(processed / self.seconds, 1) if self.seconds > 0 else None,
            "missing_input": self.missing_input,
        }


# the final rows of every stage, in stage order: one sample_id -> row mapping per stage
FinalRows = list[dict[str, Row]]
# final rows of a stage (this rank's units) that ended ``failed`` with no answer; an unparseable answer is
# not counted (the model's answer, kept with its parse error). Kept in the counts, which Ray actors send back
FAILED_FINAL = "failed_unanswered"


@dataclass
class RunReport:
    out: Path
    rank: int
    world_size: int
    read: ReadResult
    stages: list[StageReport]
    seconds: float
    complete: bool
    merged_path: Path | None = None
    # set only when this one process ran every unit of every stage, so the merge can use the
    # rows in memory instead of reading the run back; dropped once merged
    final_rows: FinalRows | None = None

    def stage_counts(self) -> dict[str, dict[str, int]]:
        return {s.name: dict(s.counts) for s in self.stages}

    @property
    def failed_stages(self) -> list[str]:
        """Stages run here whose final rows (this rank's units) include ``failed`` ones with no answer."""
        return [s.name for s in self.stages if s.counts[FAILED_FINAL]]


def expand_paths(value: Any, cfg: PipelineConfig) -> Any:
    """Replace ``{data_root}`` and ``{out}`` in engine options (e.g. an oracle reading the run's GT)."""
    if isinstance(value, str):
        return value.replace("{data_root}", str(cfg.resolved_data_root())).replace("{out}", str(cfg.out))
    if isinstance(value, dict):
        return {k: expand_paths(v, cfg) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_paths(v, cfg) for v in value]
    return value


def stage_fingerprints(cfg: PipelineConfig) -> list[str]:
    """Chained fingerprints: task + template, engine config, sampling, and the input stage's."""
    fps: list[str] = []
    for i, stage in enumerate(cfg.stages):
        upstream = cfg.input_of(i)
        cls = engine_class(stage.engine.name)
        payload = {
            "task": get_task(stage.task).identity(),
            "engine": stage.engine.model_dump(),
            "engine_version": getattr(cls, "VERSION", ""),
            "sampling": stage.sampling.model_dump(),
            "max_pixels": stage.max_pixels,
            "draw_boxes": stage.draw_boxes,
            "verify": stage.verify,
            "reflect_attempts": stage.reflect_attempts if stage.verify else None,
            "examiner": stage.examiner.model_dump() if stage.examiner else None,
            "input": fps[upstream] if upstream is not None else None,
        }
        fps.append(hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16])
    return fps


def _manifest(cfg: PipelineConfig, run: RunDir, num_samples: int, fps: list[str]) -> Manifest:
    """Unit count is fixed by the first run, so resume never regroups samples."""
    num_units = run.previous_num_units() or default_num_units(num_samples, cfg.samples_per_unit)
    stages = tuple(
        StageEntry(s.name, s.task, fp, cfg.stages[up].name if (up := cfg.input_of(i)) is not None else None)
        for i, (s, fp) in enumerate(zip(cfg.stages, fps, strict=True))
    )
    manifest = Manifest(num_units, cfg.dataset, cfg.split, stages, cfg.model_dump())
    run.write_manifest(manifest)
    return manifest


@holding_run_lock  # one run per run directory; a second process on it refuses, naming this one
def run_pipeline(
    cfg: PipelineConfig,
    rank: int = 0,
    world_size: int = 1,
    only: list[str] | None = None,
    console: Console | None = None,
    merge: bool = True,
) -> RunReport:
    """Run (or resume) the pipeline for one rank.

    Executors pass ``merge=False`` and merge themselves once all their ranks are back;
    ``merge=True`` (the default, for library callers and tests) does the same merge step here.
    """
    t_start = time.perf_counter()
    console = console or Console(stderr=True)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    run_dir = RunDir(out)
    for stage in cfg.stages:
        if stage.draw_boxes and not get_task(stage.task).marks_images:
            raise ValueError(f"stage {stage.name!r}: task {stage.task!r} cannot draw boxes (draw_boxes)")
    read = read_dataset(cfg.dataset, cfg.resolved_data_root(), cfg.split, cfg.max_samples, **cfg.reader)
    fps = stage_fingerprints(cfg)
    num_units = _manifest(cfg, run_dir, len(read.samples), fps).num_units
    if rank == 0:
        drops = [{"file": d.file, "record": d.record, "field": d.field, "reason": d.reason} for d in read.dropped]
        payload = {"stats": read.stats, "dropped": drops}
        atomic_write_bytes(run_dir.reader_drops_path, json.dumps(payload).encode())

    samples_of: dict[int, list[Any]] = defaultdict(list)
    for s in read.samples:
        samples_of[unit_of(s.sample_id, num_units)].append(s)
    my_units = [u for u in units_for_rank(num_units, rank, world_size) if samples_of.get(u)]
    gone_units = [u for u in units_for_rank(num_units, rank, world_size) if not samples_of.get(u)]
    by_unit = work_items({u: samples_of[u] for u in my_units}, cfg.image_identity, cfg.image_workers)
    my_total = sum(len(by_unit[u]) for u in my_units)

    reports = [StageReport(s.name) for s in cfg.stages]
    # final rows of every stage for my units: stage index -> sample_id -> row
    finished: list[dict[str, dict[str, Any]]] = [{} for _ in cfg.stages]
    with (
        ThreadPoolExecutor(cfg.image_workers, thread_name_prefix="hoiscribe-img") as pool,
        _progress(console, cfg.progress) as progress,
        _long_lived_heap(),
    ):
        for i, stage in enumerate(cfg.stages):
            run_this = only is None or stage.name in only
            upstream = cfg.input_of(i)
            unit_items: dict[int, list[WorkItem]] = {}
            for u in my_units:
                items = by_unit[u]
                if upstream is not None:
                    items = _with_prior(items, finished[upstream], run_dir, cfg.stages[upstream], fps[upstream], u)
                    reports[i].missing_input += len(by_unit[u]) - len(items)
                unit_items[u] = items
            if not run_this:
                for u in unit_items:
                    finished[i].update(run_dir.unit_rows(stage.name, fps[i], u))
                continue
            # units none of whose samples are read any more (another data root): their rows are dropped
            gone = {u for u in gone_units if run_dir.unit_rows_path(stage.name, fps[i], u).is_file()}
            unit_items.update((u, []) for u in gone)
            task_id = progress.add_task(stage.name, total=my_total, failed=0)
            progress.update(task_id, advance=reports[i].missing_input)
            t0 = time.perf_counter()
            engine = make_engine(stage.engine.name, stage.engine.model, **expand_paths(stage.engine.options, cfg))
            # a synchronous batching engine (transformers) gets one batch at a time, never racing calls
            engine = with_micro_batching(engine, max_batch=stage.batch_size)
            use_cache = stage.cache if stage.cache is not None else stage.engine.name != "grounded"
            failed_count = [0]

            def on_rows(done: int, failed: int, task_id: Any = task_id, failed_count: list[int] = failed_count) -> None:
                failed_count[0] += failed
                progress.update(task_id, advance=done, failed=failed_count[0])

            task = get_task(stage.task)
            examiner = None
            if "examiner" in stage.verify:
                ex = stage.examiner or stage.engine
                examiner = make_engine(ex.name, ex.model, **ex.options) if stage.examiner else engine
            run = StageRun(
                index=i,
                config=stage,
                task=task,
                engine=engine,
                fingerprint=fps[i],
                out_dir=run_dir.stage_dir(stage.name, fps[i]),
                cache_dir=run_dir.cache_dir(stage.name) if use_cache else None,
                image_pool=pool,
                on_rows=on_rows,
                examiner=examiner,
                grounding=task.checkable
                and (stage.grounding if stage.grounding is not None else stage.engine.name != "grounded"),
            )
            try:
                asyncio.run(_run_units(run, unit_items, finished[i], gone))
            finally:
                engine.close()
                if examiner is not None and examiner is not engine:
                    examiner.close()
            reports[i].seconds = time.perf_counter() - t0
            reports[i].counts.update(run.counters)
            if still_failed := sum(r["status"] == "failed" and not r.get("parse_error") for r in finished[i].values()):
                reports[i].counts[FAILED_FINAL] = still_failed

    complete = all_units_done(run_dir, cfg, fps, sorted(samples_of))
    # a single rank that ran every stage holds every unit's final rows; others must read them back
    ran_all = only is None or {s.name for s in cfg.stages} <= set(only)
    report = RunReport(out, rank, world_size, read, reports, time.perf_counter() - t_start, complete,
                       final_rows=finished if world_size == 1 and ran_all else None)  # fmt: skip
    _write_rank_stats(report)
    if merge:
        from hoiscribe.run.executors.base import merge_when_done

        report.merged_path = merge_when_done(out, complete, [report])
    return report


async def _run_units(
    run: StageRun, unit_items: dict[int, list[WorkItem]], sink: dict[str, dict[str, Any]], gone: set[int]
) -> None:
    for u, items in unit_items.items():
        if items or u in gone:
            rows = await run_unit(run, unit_name(u), items)
            sink.update(rows)


def work_items(units: dict[int, list[Any]], image_identity: str, workers: int) -> dict[int, list[WorkItem]]:
    """First-stage work items, each with its sample's input digest: the record's own digest of its
    annotation and of the identity of its image files (``image_identity``: "stat" = path, size
    and mtime; "hash" = a hash of the bytes). Many pairs share an image: one stat or hash a path."""
    ident = _content_hash if image_identity == "hash" else _stat
    known: dict[str | None, str | None] = {None: None}
    if image_identity == "hash":  # every image read once, in parallel, up front
        paths = {p for ss in units.values() for s in ss for p in (s.image_path, getattr(s, "target_path", None))}
        paths.discard(None)
        with ThreadPoolExecutor(workers, thread_name_prefix="hoiscribe-hash") as pool:
            known.update(zip(paths, pool.map(_content_hash, paths), strict=True))
    out: dict[int, list[WorkItem]] = {}
    for u, samples in units.items():
        items = out[u] = []
        for s in samples:
            path, target = s.image_path, getattr(s, "target_path", None)  # a pose pair has two images
            images = known[path] if path in known else known.setdefault(path, ident(path))
            if target is not None:
                images = (images, known[target] if target in known else known.setdefault(target, ident(target)))
            record = s.as_record()
            own = getattr(s, "input_digest", None)  # a plug-in reader's record may have none: hash its record
            items.append(WorkItem(s, None, record, own(images) if own else content_digest((record, images))))
    return out


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _content_hash(path: str) -> str:
    """The bytes only, not the path: a moved or copied dataset keeps its digests."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
    except OSError:
        return "missing"


def _with_prior(
    items: list[WorkItem],
    upstream_rows: dict[str, dict[str, Any]],
    run_dir: RunDir,
    upstream: StageConfig,
    upstream_fp: str,
    unit: int,
) -> list[WorkItem]:
    """Items whose input stage has an ok output, carrying that output as prior text."""
    if not any(it.sample.sample_id in upstream_rows for it in items):
        upstream_rows = run_dir.unit_rows(upstream.name, upstream_fp, unit)
    out_items = []
    for it in items:
        row = upstream_rows.get(it.sample.sample_id)
        text = output_text(row) if row is not None else None
        if text is not None:
            out_items.append(WorkItem(it.sample, text, None, it.digest))
    return out_items


def all_units_done(run_dir: RunDir, cfg: PipelineConfig, fps: list[str], units: list[int]) -> bool:
    """True when every given unit has a done marker for every stage (all ranks finished)."""
    return all(
        run_dir.unit_done_path(s.name, fp, u).is_file() for s, fp in zip(cfg.stages, fps, strict=True) for u in units
    )


def _write_rank_stats(report: RunReport) -> None:
    data = {
        "rank": report.rank,
        "world_size": report.world_size,
        "seconds": round(report.seconds, 3),
        "reader": report.read.stats,
        "reader_drops": report.read.drop_summary(),
        "stages": {s.name: s.as_dict() for s in report.stages},
    }
    atomic_write_bytes(RunDir(report.out).runtime_path(report.rank), json.dumps(data, indent=1).encode())


@contextmanager
def _long_lived_heap() -> Iterator[None]:
    """Samples and finished rows live for the whole run: collect once, freeze what exists (the
    samples) so the cyclic GC stops rescanning it, and collect less often while rows pile up.
    Without this, full collections over 100k+ samples cost a third of a grounded run."""
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class _NullProgress:
    def __enter__(self) -> _NullProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f}/s")


def _progress(console: Console, enabled: bool) -> Progress | _NullProgress:
    if not enabled:
        return _NullProgress()
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TextColumn("[cyan]{task.fields[failed]} not ok"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
