"""Run the stages of a pipeline over this rank's work units, stage by stage.

Stage-major order lets each stage hold one model at a time. Units are static per rank, so
a rank always has the earlier stages of its own units; a rerun with another world size
simply regroups units, and done markers and rows tell every rank what is left.

Memory follows the work in flight: the dataset is streamed once into a spill file
(``run.source``), a unit's samples are loaded when the unit runs, its input stage's rows are
read from disk, and nothing of a finished unit stays in memory; the merge streams too.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from hoiscribe.catalog import engine_class, get_task
from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.datasets.base import ReadResult
from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.driver import FAILED_FINAL, StageDriver, expand_paths
from hoiscribe.run.lock import holding_run_lock
from hoiscribe.run.progress import progress_bars
from hoiscribe.run.rows import Row
from hoiscribe.run.rundir import Manifest, RunDir, StageEntry
from hoiscribe.run.source import SampleIndex, index_dataset
from hoiscribe.run.units import default_num_units, units_for_rank

__all__ = ["FAILED_FINAL", "RunReport", "StageReport", "expand_paths", "prepare_run", "run_pipeline"]


@dataclass
class StageReport:
    name: str
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    missing_input: int = 0
    cpu_seconds: float = 0.0  # CPU time of this process over ``seconds`` (benchmarks; not in the stats files)

    def as_dict(self) -> dict[str, Any]:
        processed = sum(self.counts[k] for k in ("ok", "dropped", "failed"))
        return {
            "counts": dict(self.counts),
            "seconds": round(self.seconds, 3),
            "processed_per_s": round(processed / self.seconds, 1) if self.seconds > 0 else None,
            "missing_input": self.missing_input,
        }


# the final rows of every stage, in stage order: one sample_id -> row mapping per stage (no longer held:
# the merge streams the rows from disk; kept for callers that pass rows they hold)
FinalRows = list[dict[str, Row]]


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
    # rows a caller holds in memory for the merge (the pipeline holds none: the merge streams them)
    final_rows: FinalRows | None = None
    spill_bytes: int = 0  # the read samples' scratch file, for the bytes-per-sample figures

    def stage_counts(self) -> dict[str, dict[str, int]]:
        return {s.name: dict(s.counts) for s in self.stages}

    @property
    def failed_stages(self) -> list[str]:
        """Stages run here whose final rows (this rank's units) include ``failed`` ones with no answer."""
        return [s.name for s in self.stages if s.counts[FAILED_FINAL]]


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


@dataclass
class PreparedRun:
    """A read run: the spilled samples' index, the stages' fingerprints, the units that hold samples."""

    index: SampleIndex
    fps: list[str]
    num_units: int
    counts: dict[int, int]  # samples per unit (units with none are absent)

    def units_of(self, rank: int, world_size: int) -> tuple[list[int], list[int]]:
        """This rank's units with samples, and those with none (their old rows are dropped)."""
        mine = units_for_rank(self.num_units, rank, world_size)
        return [u for u in mine if self.counts.get(u)], [u for u in mine if not self.counts.get(u)]


def prepare_run(cfg: PipelineConfig, rank: int = 0) -> PreparedRun:
    """Read the dataset into this rank's spill, write the manifest and (rank 0) the reader's drops."""
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    run_dir = RunDir(out)
    for stage in cfg.stages:
        if stage.draw_boxes and not get_task(stage.task).marks_images:
            raise ValueError(f"stage {stage.name!r}: task {stage.task!r} cannot draw boxes (draw_boxes)")
    index = index_dataset(cfg, rank, cfg.image_workers)
    try:
        fps = stage_fingerprints(cfg)
        num_units = _manifest(cfg, run_dir, len(index), fps).num_units
        index.assign(num_units)
        if rank == 0:
            read = index.read
            drops = [{"file": d.file, "record": d.record, "field": d.field, "reason": d.reason} for d in read.dropped]
            atomic_write_bytes(run_dir.reader_drops_path, json.dumps({"stats": read.stats, "dropped": drops}).encode())
    except BaseException:
        index.close()
        raise
    return PreparedRun(index, fps, num_units, index.unit_counts())


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
    run_dir = RunDir(out)
    reports = [StageReport(s.name) for s in cfg.stages]
    with _long_lived_heap():  # frozen before reading: the collector never rescans what is read
        prep = prepare_run(cfg, rank)
        try:
            my_units, gone_units = prep.units_of(rank, world_size)
            my_total = sum(prep.counts[u] for u in my_units)
            with (
                ThreadPoolExecutor(cfg.image_workers, thread_name_prefix="hoiscribe-img") as pool,
                progress_bars(console, cfg.progress) as progress,
            ):
                for i, stage in enumerate(cfg.stages):
                    if only is not None and stage.name not in only:
                        continue
                    # units none of whose samples are read any more (another data root): their rows are dropped
                    gone = {u for u in gone_units if run_dir.unit_rows_path(stage.name, prep.fps[i], u).is_file()}
                    task_id = progress.add_task(stage.name, total=my_total, failed=0)
                    failed_count = [0]

                    def on_rows(
                        done: int, failed: int, task_id: Any = task_id, failed_count: list[int] = failed_count
                    ) -> None:
                        failed_count[0] += failed
                        progress.update(task_id, advance=done, failed=failed_count[0])

                    driver = StageDriver(cfg, i, prep.fps, prep.index, pool, on_rows)
                    try:
                        tally = asyncio.run(driver.run_units(my_units + sorted(gone), gone))
                    finally:
                        driver.close()
                    reports[i].seconds = tally.seconds
                    reports[i].cpu_seconds = tally.cpu_seconds
                    reports[i].missing_input = tally.missing_input
                    reports[i].counts.update(tally.counts)
            complete = all_units_done(run_dir, cfg, prep.fps, sorted(prep.counts))
        finally:
            prep.index.close()
    read = prep.index.read
    report = RunReport(out, rank, world_size, read, reports, time.perf_counter() - t_start, complete,
                       spill_bytes=int(prep.index.offsets[-1]))  # fmt: skip
    write_rank_stats(report)
    if merge:
        from hoiscribe.run.executors.base import merge_when_done

        report.merged_path = merge_when_done(out, complete, [report])
    return report


def all_units_done(run_dir: RunDir, cfg: PipelineConfig, fps: list[str], units: list[int]) -> bool:
    """True when every given unit has a done marker for every stage (all ranks finished)."""
    return all(
        run_dir.unit_done_path(s.name, fp, u).is_file() for s, fp in zip(cfg.stages, fps, strict=True) for u in units
    )


def write_rank_stats(report: RunReport) -> None:
    data = {
        "rank": report.rank,
        "world_size": report.world_size,
        "seconds": round(report.seconds, 3),
        "reader": report.read.stats,
        "reader_drops": report.read.drop_summary(),
        "spill_bytes": report.spill_bytes,
        "stages": {s.name: s.as_dict() for s in report.stages},
    }
    atomic_write_bytes(RunDir(report.out).runtime_path(report.rank), json.dumps(data, indent=1).encode())


@contextmanager
def _long_lived_heap() -> Iterator[None]:
    """Collect once and freeze what exists (the modules) before reading, then leave the cyclic GC to
    the run: it collects after each unit (``StageDriver``) and every few reader chunks (``source``),
    when what is alive is one unit's work. Automatic collections, triggered every few thousand
    allocations, rescanned the samples in flight a thousand times a run."""
    gc.collect()
    gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()
