"""Ray executor: one actor per worker (one per GPU on a cluster), each running a rank.

Actors only launch ranks; the work-unit logic is the same as for torchrun/Slurm ranks, so
a Ray run can be resumed locally and the other way round. The driver holds the run directory's
lock under a job token of its own, and hands the token to its actors, which join the lock with it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from hoiscribe.core.registry import CatalogError
from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.executors.base import ExecutionResult, Executor
from hoiscribe.run.lock import hold_run_lock
from hoiscribe.run.rundir import RunDir

if TYPE_CHECKING:
    from rich.console import Console


class RayExecutor(Executor):
    """Options under ``ray:`` in the config: num_workers (ranks, default 2), num_gpus_per_worker,
    num_cpus_per_worker and init (``ray.init`` keywords, used only when Ray is not running yet)."""

    def __init__(self, cfg: PipelineConfig, only: list[str] | None = None, console: Console | None = None) -> None:
        super().__init__(cfg, only, console)
        opts = dict(cfg.ray)
        self.num_workers = int(opts.pop("num_workers", 2))
        if self.num_workers < 1:
            raise ValueError(f"ray.num_workers must be at least 1, got {self.num_workers}")
        self.num_gpus = float(opts.pop("num_gpus_per_worker", 0))
        self.num_cpus = float(opts.pop("num_cpus_per_worker", 1))
        self.init: dict[str, Any] = opts.pop("init", {"num_cpus": max(1, int(self.num_workers * self.num_cpus))})
        self._job = f"ray:{uuid.uuid4().hex}"  # this run's actors share the driver's lock with it

    @property
    def world_size(self) -> int:
        return self.num_workers

    def job_id(self) -> str:
        return self._job

    def launch(self) -> ExecutionResult:
        try:
            import ray
        except ModuleNotFoundError as exc:
            raise CatalogError("the Ray executor needs Ray: pip install 'hoiscribe[ray]'") from exc

        started = not ray.is_initialized()
        if started:
            ray.init(include_dashboard=False, log_to_driver=False, **self.init)
        try:
            actor = ray.remote(num_cpus=self.num_cpus, num_gpus=self.num_gpus)(_RankActor)
            actors = [actor.remote() for _ in range(self.num_workers)]
            data = self.cfg.model_dump()
            done = ray.get([a.run.remote(data, rank, self.only, self._job) for rank, a in enumerate(actors)])
        finally:
            if started:
                ray.shutdown()
        counts = {d["rank"]: d["stages"] for d in done}
        return ExecutionResult(self.world_size, [], counts, any(d["complete"] for d in done))


class _RankActor:
    """One rank in a Ray worker; sends back counts only (rows stay on disk, the merge reads them)."""

    def run(self, cfg_data: dict[str, Any], rank: int, only: list[str] | None, job: str) -> dict[str, Any]:
        cfg = PipelineConfig.model_validate(dict(cfg_data, progress=False))
        with hold_run_lock(RunDir(cfg.out), job):  # the driver's job: joins the lock the driver holds
            report = RayExecutor(cfg, only).run_rank(rank)
        return {"rank": rank, "stages": report.stage_counts(), "complete": report.complete}
