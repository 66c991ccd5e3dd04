"""The default executor: everything in this process (asyncio inside ``run_pipeline``)."""

from __future__ import annotations

from hoiscribe.run.executors.ranks import RanksExecutor


class LocalExecutor(RanksExecutor):
    """Rank 0 of 1, in this process.

    Under torchrun or Slurm (RANK/WORLD_SIZE or SLURM_PROCID/SLURM_NTASKS set) it is that rank,
    exactly like ``ranks``: configs written before ``ranks`` existed say ``local`` there.
    """
