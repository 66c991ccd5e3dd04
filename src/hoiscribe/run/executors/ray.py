"""Ray executor: a pool of actors (one per GPU on a cluster) taking batches of work units.

The driver reads the dataset once into the run's spill and sends the actors its index (16 bytes a
sample), so no actor re-reads the annotation file. Each stage is then a queue of unit batches: an
actor takes the next batch when it is free (a slow unit does not hold up a fixed share), keeping
its stage's engine between batches. The unit logic is ``run_pipeline``'s (``StageDriver``), so a Ray
run resumes locally and the other way round. The driver holds the run directory's lock under a job
token of its own and hands it to the actors, which join the lock with it.
"""

from __future__ import annotations

import asyncio
import gc
import math
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hoiscribe.core.registry import CatalogError
from hoiscribe.datasets.base import ReadResult
from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.driver import StageDriver, StageTally
from hoiscribe.run.executors.base import ExecutionResult, Executor
from hoiscribe.run.lock import hold_run_lock
from hoiscribe.run.pipeline import (
    RunReport,
    StageReport,
    all_units_done,
    prepare_run,
    stage_fingerprints,
    write_rank_stats,
)
from hoiscribe.run.rundir import RunDir
from hoiscribe.run.source import SampleIndex

if TYPE_CHECKING:
    from rich.console import Console

BATCHES_PER_WORKER = 4  # per stage: enough to even out uneven units, few enough to keep calls cheap


class RayExecutor(Executor):
    """Options under ``ray:`` in the config: num_workers (actors, default 2), num_gpus_per_worker,
    num_cpus_per_worker, units_per_task (default: the units spread over 4 batches per worker) and
    init (``ray.init`` keywords, used only when Ray is not running yet)."""

    def __init__(self, cfg: PipelineConfig, only: list[str] | None = None, console: Console | None = None) -> None:
        super().__init__(cfg, only, console)
        opts = dict(cfg.ray)
        self.num_workers = int(opts.pop("num_workers", 2))
        if self.num_workers < 1:
            raise ValueError(f"ray.num_workers must be at least 1, got {self.num_workers}")
        self.num_gpus = float(opts.pop("num_gpus_per_worker", 0))
        self.num_cpus = float(opts.pop("num_cpus_per_worker", 1))
        per_task = opts.pop("units_per_task", None)
        self.units_per_task = int(per_task) if per_task is not None else None
        if self.units_per_task is not None and self.units_per_task < 1:
            raise ValueError(f"ray.units_per_task must be at least 1, got {self.units_per_task}")
        self.init: dict[str, Any] = opts.pop("init", {"num_cpus": max(1, int(self.num_workers * self.num_cpus))})
        self._job = f"ray:{uuid.uuid4().hex}"  # this run's actors share the driver's lock with it

    @property
    def world_size(self) -> int:
        return self.num_workers

    def job_id(self) -> str:
        return self._job

    def batches(self, units: list[int]) -> list[list[int]]:
        """The units of one stage cut into tasks."""
        size = self.units_per_task or max(1, math.ceil(len(units) / (self.num_workers * BATCHES_PER_WORKER)))
        return [units[i : i + size] for i in range(0, len(units), size)]

    def launch(self) -> ExecutionResult:
        try:
            import ray
            from ray.util import ActorPool
        except ModuleNotFoundError as exc:
            raise CatalogError("the Ray executor needs Ray: pip install 'hoiscribe[ray]'") from exc

        t0 = time.perf_counter()
        cfg, run_dir = self.cfg, RunDir(self.cfg.out)
        prep = prepare_run(cfg, rank=0)  # read once, here; the actors load units from the spill
        reports = [StageReport(s.name) for s in cfg.stages]
        per_worker: dict[int, dict[str, dict[str, int]]] = {w: {} for w in range(self.num_workers)}
        started = not ray.is_initialized()
        try:
            if started:
                ray.init(include_dashboard=False, log_to_driver=False, **self.init)
            units, gone_units = prep.units_of(0, 1)
            index = ray.put((str(prep.index.path), prep.index.hashes, prep.index.offsets, prep.num_units))
            actor = ray.remote(num_cpus=self.num_cpus, num_gpus=self.num_gpus)(_StageActor)
            data = cfg.model_dump()
            actors = [actor.remote(data, self._job, index, w) for w in range(self.num_workers)]
            for i, stage in enumerate(cfg.stages):
                if self.only is not None and stage.name not in self.only:
                    continue
                gone = [u for u in gone_units if run_dir.unit_rows_path(stage.name, prep.fps[i], u).is_file()]
                t_stage = time.perf_counter()
                pool = ActorPool(actors)
                work = self.batches(units + gone)
                gone_set = set(gone)

                def submit(a: Any, b: list[int], i: int = i, g: set[int] = gone_set) -> Any:
                    return a.run.remote(i, b, sorted(g & set(b)))

                for worker, tally in pool.map_unordered(submit, work):
                    reports[i].counts.update(tally.counts)
                    reports[i].missing_input += tally.missing_input
                    counts = per_worker[worker].setdefault(stage.name, {})
                    for k, v in tally.counts.items():
                        counts[k] = counts.get(k, 0) + v
                ray.get([a.end_stage.remote() for a in actors])
                reports[i].seconds = time.perf_counter() - t_stage
            ray.get([a.close.remote() for a in actors])
        finally:
            prep.index.close()
            if started:
                ray.shutdown()
        complete = all_units_done(run_dir, cfg, prep.fps, sorted(prep.counts))
        report = RunReport(Path(cfg.out), 0, 1, prep.index.read, reports, time.perf_counter() - t0, complete)
        write_rank_stats(report)
        counts = {w: c for w, c in per_worker.items() if c} or {0: report.stage_counts()}
        return ExecutionResult(self.world_size, [report], counts, complete)


class _StageActor:
    """One worker: the run's spill index, and the engine of the stage it is working on."""

    def __init__(
        self, cfg_data: dict[str, Any], job: str, index: tuple[str, np.ndarray, np.ndarray, int], worker: int
    ) -> None:
        self.cfg = PipelineConfig.model_validate(dict(cfg_data, progress=False))
        self.job = job
        path, hashes, offsets, num_units = index
        self.index = SampleIndex(Path(path), ReadResult(samples=[]), hashes, offsets)
        self.index.assign(num_units)
        self.fps = stage_fingerprints(self.cfg)
        self.pool = ThreadPoolExecutor(self.cfg.image_workers, thread_name_prefix="hoiscribe-img")
        self.worker = worker
        self.driver: StageDriver | None = None
        gc.collect()
        gc.freeze()

    def run(self, stage: int, units: list[int], gone: list[int]) -> tuple[int, StageTally]:
        with hold_run_lock(RunDir(self.cfg.out), self.job):  # the driver's job: joins the lock it holds
            if self.driver is None or self.driver.index != stage:
                self.end_stage()
                self.driver = StageDriver(self.cfg, stage, self.fps, self.index, self.pool)
            tally = asyncio.run(self.driver.run_units(units, set(gone)))
        return self.worker, tally

    def end_stage(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None

    def close(self) -> None:
        self.end_stage()
        self.pool.shutdown()
