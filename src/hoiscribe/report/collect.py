"""Read a run directory into one view per sample: its seed record, image path and every stage's row.

Built from the rows themselves (not ``merged.json``) so samples whose stages failed or were
dropped still appear in the gallery with their reason, and so optional row fields
(``grounding``, ``history``) reach the page. A row whose task has a report view
(``catalog.REPORT_VIEWS``, see ``views.py``) also carries what that view made of it: its
pictures, sections, checker, class and outcome, which pass/fail and the charts then use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoiscribe.report.images import image_resolver
from hoiscribe.report.views import TaskView, task_view
from hoiscribe.run.rundir import Manifest, RunDir, StageEntry
from hoiscribe.vocab.hake import part_state

NO_VERDICT = "none"


@dataclass
class StageView:
    """One stage's final row for one sample, flattened for the template."""

    name: str
    task: str
    input: str | None
    status: str  # ok / dropped / failed / missing
    output: Any = None
    reason: str | None = None
    attempt: int = 0
    engine: str | None = None
    grounding: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    spec: TaskView | None = None  # the task's own report view (None: shown as HOI text)

    @property
    def text(self) -> str | None:
        """The output when it is prose (describe, refine), else None."""
        if self.spec is not None and self.spec.error is None:
            return None
        return self.output if self.status == "ok" and isinstance(self.output, str) else None

    @property
    def texts(self) -> list[str]:
        """The texts whose length the report charts: the prose output, or what the task's view names."""
        if self.spec is not None:
            return self.spec.texts
        return [self.text] if self.text is not None else []

    @property
    def verdict(self) -> str | None:
        """An examiner-style verdict carried by the output, upper-cased."""
        if self.status == "ok" and isinstance(self.output, dict) and self.output.get("verdict") is not None:
            return str(self.output["verdict"]).upper()
        return None

    @property
    def problems(self) -> list[dict[str, Any]]:
        if self.status != "ok" or not isinstance(self.output, dict):
            return []
        return [p if isinstance(p, dict) else {"claim": str(p), "why": ""} for p in self.output.get("problems") or []]

    @property
    def checker(self) -> Any:
        """The task view's checker section, when it has one."""
        return self.spec.checker if self.spec is not None else None

    @property
    def contradictions(self) -> list[dict[str, Any]]:
        if self.checker is not None:
            return self.spec.contradictions  # type: ignore[union-attr]
        items = (self.grounding or {}).get("contradictions") or []
        return [c for c in items if isinstance(c, dict)]

    @property
    def contradicted(self) -> int:
        if self.checker is not None:
            return int(self.checker.contradicted)
        g = self.grounding or {}
        n = g.get("contradicted")
        return int(n) if isinstance(n, int | float) else len(self.contradictions)

    @property
    def check_counts(self) -> dict[str, int] | None:
        """(supported, contradicted, unverifiable) of the stage's checker, None without one."""
        if self.checker is not None:
            c = self.checker
            return {"supported": c.supported, "contradicted": c.contradicted, "unverifiable": c.unverifiable}
        if self.grounding is None:
            return None
        return {k: int(v) if isinstance(v := self.grounding.get(k), int | float) else 0
                for k in ("supported", "unverifiable")} | {"contradicted": self.contradicted}  # fmt: skip

    @property
    def outcome(self) -> str | None:
        """The output's own status as the task's view reads it (solved, answered, ...)."""
        return self.spec.outcome if self.spec is not None else None

    @property
    def passed(self) -> bool | None:
        """ok, no FAIL verdict, no contradicted claim and not failed by the task's own view;
        None when the stage never ran for the sample."""
        if self.status == "missing":
            return None
        own = self.spec is None or self.spec.passed is not False
        return self.status == "ok" and self.verdict != "FAIL" and self.contradicted == 0 and own

    @property
    def output_json(self) -> str:
        """Structured outputs other than verdicts, for a <pre> block."""
        return json.dumps(self.output, indent=1, ensure_ascii=False)


@dataclass
class SampleView:
    """Everything the gallery shows for one sample."""

    sample_id: str
    record: dict[str, Any]
    stages: list[StageView]
    image_path: Path | None = None

    @property
    def hoi(self) -> str:
        """Readable HOI class, e.g. ``ride bicycle``; ``no HOI`` for person-only records."""
        verb, obj = self.record.get("verb"), self.record.get("object")
        if not verb and not obj:
            return "no HOI"
        return " ".join(str(x).replace("_", " ") for x in (verb, obj) if x)

    @property
    def specs(self) -> list[TaskView]:
        return [s.spec for s in self.stages if s.spec is not None]

    @property
    def group(self) -> str | None:
        """The sample's class for the filter and chart: the task views' when there are any (None
        when none names one, as for pose pairs), else the HOI class."""
        specs = self.specs
        if not specs:
            return self.hoi
        return next((s.group for s in specs if s.group is not None), None)

    @property
    def group_name(self) -> str:
        return next((s.group_name for s in self.specs if s.group_name), "HOI class")

    @property
    def verdict(self) -> str:
        """The first examiner verdict among the stages, or ``none``."""
        for s in self.stages:
            if s.verdict is not None:
                return s.verdict
        return NO_VERDICT

    @property
    def contradicted(self) -> int:
        return sum(s.contradicted for s in self.stages)

    @property
    def passed(self) -> bool:
        return all(s.passed is not False for s in self.stages)

    @property
    def part_states(self) -> list[dict[str, Any]]:
        """HAKE labels resolved to names; a bad index becomes a readable placeholder, never an error."""
        out = []
        for label in self.record.get("action_labels") or []:
            try:
                ps = part_state(int(label["human_part"]), int(label["partstate"]))
                out.append({"part_id": ps.part_id, "part": ps.part, "state": ps.state})
            except (KeyError, TypeError, ValueError):
                out.append({"part_id": None, "part": "?", "state": f"unknown label {label!r}"})
        return out


@dataclass
class RunView:
    run_dir: Path
    manifest: Manifest
    samples: list[SampleView]

    @property
    def stages(self) -> tuple[StageEntry, ...]:
        return self.manifest.stages

    @property
    def config(self) -> dict[str, Any]:
        """The pipeline config the run recorded ({} when it was missing)."""
        return self.manifest.config


def _stage_view(
    stage: StageEntry, row: dict[str, Any] | None, record: dict[str, Any], image_records: list[dict[str, Any]]
) -> StageView:
    base = {"name": stage.name, "task": stage.task, "input": stage.input}
    if row is None:
        return StageView(**base, status="missing")
    grounding = row.get("grounding")
    history = row.get("history")
    return StageView(
        **base,
        status=str(row.get("status") or "failed"),
        output=row.get("output"),
        reason=row.get("reason") or row.get("parse_error"),
        attempt=int(row.get("attempt") or 0),
        engine=row.get("engine"),
        grounding=grounding if isinstance(grounding, dict) else None,
        history=[h for h in history if isinstance(h, dict)] if isinstance(history, list) else [],
        spec=task_view(stage.task, record, dict(row), image_records),
    )


def _sort_key(view: SampleView) -> tuple[Any, ...]:
    r = view.record
    return (r.get("image_id") or 0, r.get("instance_id") or 0, r.get("file_name") or "", view.sample_id)


def collect_run(run_dir: Path) -> RunView:
    """Every sample of the first stage (ok or not) with the final row of every stage."""
    run = RunDir(run_dir)
    manifest = run.manifest
    stages = manifest.stages
    per_stage = [run.stage_rows(s) for s in stages]
    resolve = image_resolver(run.path, manifest)
    samples = []
    if stages:
        records = {sid: r if isinstance(r := first.get("record"), dict) else {} for sid, first in per_stage[0].items()}
        by_file: dict[str, list[dict[str, Any]]] = {}
        for record in records.values():
            if isinstance(record.get("file_name"), str):
                by_file.setdefault(record["file_name"], []).append(record)
        for sid, record in records.items():
            same = [record] + [r for r in by_file.get(record.get("file_name"), []) if r is not record]  # type: ignore[arg-type]
            views = [_stage_view(s, rows.get(sid), record, same) for s, rows in zip(stages, per_stage, strict=True)]
            samples.append(SampleView(sid, record, views, resolve(record)))
    samples.sort(key=_sort_key)
    return RunView(run.path, manifest, samples)
