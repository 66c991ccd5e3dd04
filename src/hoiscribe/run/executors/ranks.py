"""This process is one rank of a job that torchrun or Slurm started."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from hoiscribe.run.executors.base import ExecutionResult, Executor
from hoiscribe.run.units import rank_from_env

if TYPE_CHECKING:
    from rich.console import Console

    from hoiscribe.run.config import PipelineConfig


class RanksExecutor(Executor):
    """Rank and world size from RANK/WORLD_SIZE or SLURM_PROCID/SLURM_NTASKS (rank 0 of 1 without).

    The launcher starts the processes, so this one runs only its own rank; it merges when its
    check after its own work finds the whole run done, which the last rank to finish always does.
    """

    def __init__(
        self,
        cfg: PipelineConfig,
        only: list[str] | None = None,
        console: Console | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(cfg, only, console)
        self.rank, self._world_size = rank_from_env(None if env is None else dict(env))

    @property
    def world_size(self) -> int:
        return self._world_size

    def launch(self) -> ExecutionResult:
        return ExecutionResult.of_reports(self.world_size, [self.run_rank(self.rank)])
