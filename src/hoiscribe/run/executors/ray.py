"""Ray executor: one actor per worker (one per GPU on a cluster), each running a rank.

Actors only launch ranks; the work-unit logic is the same as for torchrun/Slurm ranks, so
a Ray run can be resumed locally and the other way round.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.run.config import PipelineConfig


def run_with_ray(cfg: PipelineConfig, only: list[str] | None = None) -> list[dict[str, Any]]:
    """Run all ranks as Ray actors; returns each rank's stage counts. Merge is left to the caller."""
    try:
        import ray
    except ModuleNotFoundError as exc:
        raise RuntimeError("the Ray executor needs Ray: pip install 'hoiscribe[ray]'") from exc

    opts = dict(cfg.ray)
    num_workers = int(opts.pop("num_workers", 2))
    gpus = float(opts.pop("num_gpus_per_worker", 0))
    cpus = float(opts.pop("num_cpus_per_worker", 1))
    init = opts.pop("init", {"num_cpus": max(1, int(num_workers * cpus))})
    started = False
    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, **init)
        started = True
    try:

        @ray.remote(num_cpus=cpus, num_gpus=gpus)
        class RankActor:
            def run(self, cfg_data: dict[str, Any], rank: int, world: int, only: list[str] | None) -> dict[str, Any]:
                from hoiscribe.run.config import PipelineConfig
                from hoiscribe.run.pipeline import run_pipeline

                conf = PipelineConfig.model_validate(dict(cfg_data, progress=False))
                report = run_pipeline(conf, rank=rank, world_size=world, only=only, merge=False)
                return {"rank": rank, "stages": {s.name: dict(s.counts) for s in report.stages}}

        actors = [RankActor.remote() for _ in range(num_workers)]
        data = cfg.model_dump()
        return ray.get([a.run.remote(data, i, num_workers, only) for i, a in enumerate(actors)])
    finally:
        if started:
            ray.shutdown()
