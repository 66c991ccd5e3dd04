"""One stage over a list of work units: its engine, its ``StageRun``, each unit's items loaded from
the spill (and its input stage's rows from disk) when the unit runs, and released after it.

Shared by ``run_pipeline`` (a rank's units) and the Ray executor (a batch of units per task).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.catalog import get_task, make_engine
from hoiscribe.engines.batching import with_micro_batching
from hoiscribe.run.config import PipelineConfig
from hoiscribe.run.merge import stage_field_names
from hoiscribe.run.rows import output_text
from hoiscribe.run.rundir import RunDir
from hoiscribe.run.source import SampleIndex
from hoiscribe.run.stage import StageRun, WorkItem, run_unit
from hoiscribe.run.store import Sealer
from hoiscribe.run.units import unit_name

# final rows of a stage (this rank's units) that ended ``failed`` with no answer; an unparseable answer is
# not counted (the model's answer, kept with its parse error). Kept in the counts, which Ray actors send back
FAILED_FINAL = "failed_unanswered"
FULL_GC_EVERY = 16  # units between full collections (the others collect the young generations only)
GROUNDED = "grounded"


def expand_paths(value: Any, cfg: PipelineConfig) -> Any:
    """Replace ``{data_root}`` and ``{out}`` in engine options (e.g. an oracle reading the run's GT)."""
    if isinstance(value, str):
        return value.replace("{data_root}", str(cfg.resolved_data_root())).replace("{out}", str(cfg.out))
    if isinstance(value, dict):
        return {k: expand_paths(v, cfg) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_paths(v, cfg) for v in value]
    return value


@dataclass
class StageTally:
    """What running a stage over some units counted (summed over batches by the Ray driver)."""

    counts: Counter[str] = field(default_factory=Counter)
    missing_input: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time over the same span (all its threads)

    def add(self, other: StageTally) -> None:
        self.counts.update(other.counts)
        self.missing_input += other.missing_input
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds


class StageDriver:
    """Stage ``index`` of ``cfg``, ready to run units; ``close()`` releases its engines."""

    def __init__(
        self,
        cfg: PipelineConfig,
        index: int,
        fps: list[str],
        samples: SampleIndex,
        pool: Executor,
        on_rows: Callable[[int, int], None] = lambda done, failed: None,
    ) -> None:
        self.cfg, self.index, self.fps, self.samples = cfg, index, fps, samples
        self.run_dir = RunDir(cfg.out)
        stage = cfg.stages[index]
        self.upstream = cfg.input_of(index)
        engine = make_engine(stage.engine.name, stage.engine.model, **expand_paths(stage.engine.options, cfg))
        # a synchronous batching engine (transformers) gets one batch at a time, never racing calls
        engine = with_micro_batching(engine, max_batch=stage.batch_size)
        use_cache = stage.cache if stage.cache is not None else stage.engine.name != GROUNDED
        task = get_task(stage.task)
        examiner = None
        if "examiner" in stage.verify:
            ex = stage.examiner or stage.engine
            examiner = make_engine(ex.name, ex.model, **ex.options) if stage.examiner else engine
        up = cfg.stages[self.upstream] if self.upstream is not None else None
        self.run = StageRun(
            index=index,
            config=stage,
            task=task,
            engine=engine,
            fingerprint=fps[index],
            out_dir=self.run_dir.stage_dir(stage.name, fps[index]),
            cache_dir=self.run_dir.cache_dir(stage.name) if use_cache else None,
            image_pool=pool,
            on_rows=on_rows,
            examiner=examiner,
            grounding=task.checkable
            and bool(stage.engine.name != GROUNDED if stage.grounding is None else stage.grounding),
            records_dir=self.run_dir.stage_dir(stage.name, fps[index]) if index == 0 else None,
            trusted_prior=up is not None and up.engine.name == GROUNDED and stage.engine.name == GROUNDED,
            # a one-stage run's stage writes each unit's merged lines for the merge (``run.parts``)
            part_names=stage_field_names(self.run_dir.manifest.stages)
            if len(cfg.stages) == 1 and self.run_dir.has_manifest()
            else None,
        )

    def close(self) -> None:
        self.run.engine.close()
        if self.run.examiner is not None and self.run.examiner is not self.run.engine:
            self.run.examiner.close()

    def items(self, unit: int) -> tuple[list[WorkItem], int]:
        """The unit's work items (with their input stage's text), and how many lack that input."""
        load = self.samples.load_packed if self.run.reads_packed else self.samples.load
        items = [WorkItem(s, None, None, d) for s, d in load(unit)]
        if self.upstream is None:
            return items, 0
        up = self.cfg.stages[self.upstream]
        rows = self.run_dir.unit_rows(up.name, self.fps[self.upstream], unit)
        out = []
        for it in items:
            row = rows.get(it.sample.sample_id)
            text = output_text(row) if row is not None else None
            if text is not None:
                out.append(WorkItem(it.sample, text, None, it.digest))
        return out, len(items) - len(out)

    async def run_units(self, units: list[int], gone: set[int]) -> StageTally:
        """Bring every unit to done; ``gone`` units (no sample read any more) get their rows dropped."""
        t0, c0 = time.perf_counter(), time.process_time()
        tally = StageTally()
        before = Counter(self.run.counters)
        sealer = self.run.sealer = Sealer()  # a unit's markers are written while the next one runs
        try:
            for n, u in enumerate(units):
                items, missing = ([], 0) if u in gone else self.items(u)
                tally.missing_input += missing
                if missing:
                    self.run.on_rows(missing, 0)
                if not items and u not in gone:
                    continue
                failed_before = self.run.counters["failed"]
                rows = await run_unit(self.run, unit_name(u), items)
                # a final failed row is one this unit wrote (failed rows are always redone): none counted, none here
                if self.run.counters["failed"] > failed_before and (
                    failed := sum(r["status"] == "failed" and not r.get("parse_error") for r in rows.values())
                ):
                    tally.counts[FAILED_FINAL] += failed
                del items, rows
                # the unit's cycles (asyncio's among them), once its work is released: the young generations
                # hold them; a full collection (the memos, every survivor) only every FULL_GC_EVERY units
                gc.collect(2 if n % FULL_GC_EVERY == FULL_GC_EVERY - 1 else 1)
        except BaseException:
            sealer.close(raise_errors=False)  # the units done before the error are sealed; that error wins
            raise
        else:
            sealer.close()
        finally:
            self.run.sealer = None
        tally.counts.update(self.run.counters - before)
        tally.seconds = time.perf_counter() - t0
        tally.cpu_seconds = time.process_time() - c0
        return tally
