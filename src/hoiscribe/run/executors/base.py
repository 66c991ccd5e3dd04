"""What every executor shares: run one rank, launch the ranks, merge once at the end.

Executors only launch ranks. Work units, resume and done markers live in ``run_pipeline``,
so a run started by one executor can be finished by another, with any number of ranks. The
merge happens here, after the ranks are back, and only when every unit of every stage is done.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hoiscribe.run import merge as run_merge
from hoiscribe.run.lock import hold_run_lock, job_identity
from hoiscribe.run.pipeline import FAILED_FINAL, RunReport, run_pipeline
from hoiscribe.run.rundir import RunDir

if TYPE_CHECKING:
    from rich.console import Console

    from hoiscribe.run.config import PipelineConfig


@dataclass
class ExecutionResult:
    """A run as seen from the process that launched it."""

    world_size: int
    reports: list[RunReport]  # ranks that ran in this process, reader results included (none for Ray)
    stage_counts: dict[int, dict[str, dict[str, int]]]  # rank -> stage -> counts, every rank launched
    complete: bool  # a rank found every unit of every stage done after its own work
    merged_path: Path | None = None

    @property
    def failed_stages(self) -> list[str]:
        """Stages that ended with unanswered ``failed`` rows in any rank launched here (the CLI then exits 1)."""
        names = {name for stages in self.stage_counts.values() for name, c in stages.items() if c.get(FAILED_FINAL)}
        return sorted(names)

    @classmethod
    def of_reports(cls, world_size: int, reports: Sequence[RunReport]) -> ExecutionResult:
        counts = {r.rank: r.stage_counts() for r in reports}
        return cls(world_size, list(reports), counts, any(r.complete for r in reports))


def merge_when_done(out: Path, complete: bool, reports: Sequence[RunReport] = ()) -> Path | None:
    """Merge the run once it is complete; None while ranks are still running.

    The run layer's one call of ``merge_run``, for every executor and ``run_pipeline(merge=True)``.
    Rows a report holds in memory (one process ran everything) spare reading the run back; they
    are dropped afterwards so a finished report does not pin every row.
    """
    if not complete:
        return None
    final_rows = next((r.final_rows for r in reports if r.final_rows is not None), None)
    merged = run_merge.merge_run(out, preloaded=final_rows)
    for r in reports:
        r.final_rows = None
    return merged


class Executor(ABC):
    """Launches the ranks it is responsible for, then merges if that finished the run."""

    def __init__(self, cfg: PipelineConfig, only: list[str] | None = None, console: Console | None = None) -> None:
        self.cfg = cfg
        self.only = only
        self.console = console

    @property
    @abstractmethod
    def world_size(self) -> int:
        """Ranks the work units are split over (all of them, not only those launched here)."""

    @abstractmethod
    def launch(self) -> ExecutionResult:
        """Run this executor's ranks to the end, without merging."""

    def run_rank(self, rank: int) -> RunReport:
        """One rank's share of every stage, in this process."""
        return run_pipeline(self.cfg, rank, self.world_size, self.only, console=self.console, merge=False)

    def job_id(self) -> str | None:
        """The job whose processes may share the run directory's lock (``hoiscribe.run.lock``):
        the launcher's (torchrun, Slurm) when this process is one of several ranks, else None."""
        return job_identity(self.world_size)

    def run(self) -> ExecutionResult:
        """Launch and merge, holding the run directory's lock (another run on it refuses)."""
        with hold_run_lock(RunDir(self.cfg.out), self.job_id()):
            result = self.launch()
            result.merged_path = merge_when_done(Path(self.cfg.out), result.complete, result.reports)
        return result
