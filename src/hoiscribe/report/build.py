"""Write a run's gallery: one self-contained HTML file (inline CSS, JS, SVG and images).

Nothing is fetched when the page opens (a Content-Security-Policy in the page forbids it),
so the file can be mailed, archived next to the run, or opened from any disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from hoiscribe.report.charts import all_charts, verdict_counts
from hoiscribe.report.collect import NO_VERDICT, RunView, SampleView, StageView, collect_run
from hoiscribe.report.draw import data_uri, render_picture, render_sample
from hoiscribe.report.highlight import CONTRADICTED, PROBLEM, Mark, Segment, segments
from hoiscribe.report.images import file_resolver
from hoiscribe.report.views import Section
from hoiscribe.run.store import atomic_write_bytes

Locate = Callable[[str], Path | None]
# legend entries: box role -> (swatch class, text), in the order the legend lists them
LEGEND = {"human": ("human", "person"), "object": ("object", "object"), "chosen": ("chosen", "chosen object"),
          "other": ("other", "other objects"), "reference": ("reference", "ground truth")}  # fmt: skip


@dataclass
class LineBlock:
    tag: str
    segments: list[Segment]


@dataclass
class SectionBlock:
    title: str
    lines: list[LineBlock]


@dataclass
class StageBlock:
    view: StageView
    segments: list[Segment] = field(default_factory=list)
    sections: list[SectionBlock] = field(default_factory=list)


@dataclass
class Picture:
    image: str  # data URI
    found: bool
    caption: str


@dataclass
class Card:
    sample: SampleView
    pictures: list[Picture]
    stages: list[StageBlock]

    @property
    def image(self) -> str:
        return self.pictures[0].image

    @property
    def image_found(self) -> bool:
        return all(p.found for p in self.pictures)


def _marks_for(stage: StageView, sample: SampleView) -> list[Mark]:
    """This stage's contradicted claims, then problems an examiner reading this stage's text named."""
    marks = [
        Mark(str(c.get("claim") or ""), CONTRADICTED, " — ".join(str(x) for x in (c.get("type"), c.get("why")) if x))
        for c in stage.contradictions
    ]
    for other in sample.stages:
        if other.input == stage.name:
            marks += [Mark(str(p.get("claim") or ""), PROBLEM, str(p.get("why") or "")) for p in other.problems]
    return marks


def _sections(stage: StageView, sample: SampleView) -> list[SectionBlock]:
    """A task view's sections, each line split into segments: its own marks first, then (in
    checked sections) the stage's contradicted claims and the problems an examiner named."""
    checked = _marks_for(stage, sample)
    out = []
    sections: list[Section] = stage.spec.sections if stage.spec is not None else []
    for sec in sections:
        lines = [LineBlock(ln.tag, segments(ln.text, [*ln.marks, *(checked if sec.checked else [])]))
                 for ln in sec.lines]  # fmt: skip
        out.append(SectionBlock(sec.title, lines))
    return out


def _pictures(sample: SampleView, locate: Locate) -> list[Picture]:
    """The first task view's pictures (each resolved under the data root), else the HOI drawing."""
    specs = next((s.pictures for s in sample.specs if s.pictures), None)
    if not specs:
        picture, found = render_sample(sample.record, sample.image_path, sample.part_states)
        caption = str(sample.record.get("file_name") or "?")
        if sample.record.get("instance_id") is not None:
            caption += f" · instance {sample.record['instance_id']}"
        return [Picture(data_uri(picture), found, caption)]
    out = []
    for spec in specs:
        path = locate(spec.file) if spec.file is not None else sample.image_path
        picture, found = render_picture(spec, path)
        out.append(
            Picture(data_uri(picture), found, spec.label or spec.file or str(sample.record.get("file_name") or "?"))
        )
    return out


def _card(sample: SampleView, locate: Locate) -> Card:
    blocks = []
    for st in sample.stages:
        text = st.text
        blocks.append(
            StageBlock(st, segments(text, _marks_for(st, sample)) if text is not None else [], _sections(st, sample))
        )
    return Card(sample, _pictures(sample, locate), blocks)


def _legend(samples: list[SampleView]) -> list[tuple[str, str]]:
    """Swatches for the box roles the pictures use (the HOI drawing: person, object and skeleton)."""
    roles: set[str] = set()
    skeleton = False
    for s in samples:
        specs = next((v.pictures for v in s.specs if v.pictures), None)
        if not specs:
            roles |= {"human", "object"}
            skeleton = True
            continue
        for p in specs:
            roles |= {b.role for b in p.boxes}
            skeleton = skeleton or p.keypoints is not None
    items = [LEGEND[r] for r in LEGEND if r in roles]
    return items + ([("left", "left"), ("right", "right")] if skeleton else [])


def pick_samples(samples: list[SampleView], limit: int) -> list[SampleView]:
    """At most ``limit`` samples in run order, keeping the ones that need attention first."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if len(samples) <= limit:
        return list(samples)
    order = sorted(range(len(samples)), key=lambda i: (samples[i].passed, i))[:limit]
    return [samples[i] for i in sorted(order)]


def _stage_info(view: RunView) -> list[dict[str, Any]]:
    listed = view.config.get("stages")
    configs = {s.get("name"): s for s in listed if isinstance(s, dict)} if isinstance(listed, list) else {}
    out = []
    for s in view.stages:
        engine = (configs.get(s.name) or {}).get("engine")
        engine = engine if isinstance(engine, dict) else {}
        label = str(engine.get("name") or "?")
        if engine.get("model"):
            label += f" · {engine['model']}"
        out.append({"name": s.name, "task": s.task, "input": s.input, "engine": label})
    return out


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("hoiscribe.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(view: RunView, limit: int = 500) -> str:
    """The page as a string (exposed for tests and for callers that store it elsewhere)."""
    shown = pick_samples(view.samples, limit) if view.samples else []
    workers = min(4, os.cpu_count() or 1)
    locate = file_resolver(view.run_dir, view.manifest)
    with ThreadPoolExecutor(workers, thread_name_prefix="hoiscribe-report") as pool:
        cards = list(pool.map(partial(_card, locate=locate), shown))  # Pillow releases the GIL while decoding
    hois: dict[str, int] = {}
    for s in view.samples:
        if s.group is not None:
            hois[s.group] = hois.get(s.group, 0) + 1
    stage_names = [s.name for s in view.stages]
    config = view.config
    verdicts = verdict_counts(view.samples)
    return (
        _environment()
        .get_template("gallery.html.j2")
        .render(
            title=f"hoiscribe report · {view.run_dir.resolve().name}",
            run_dir=str(view.run_dir),
            dataset=config.get("dataset") or view.manifest.dataset or "?",
            split=config.get("split") or view.manifest.split or "default split",
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            stages=_stage_info(view),
            total=len(view.samples),
            passed=sum(1 for s in view.samples if s.passed),
            cards=cards,
            charts=all_charts(view.samples, stage_names),
            verdicts=verdicts,
            any_verdict=any(v != NO_VERDICT for v in verdicts),
            hois=sorted(hois.items()),
            group_name=next((s.group_name for s in view.samples if s.group is not None), "HOI class"),
            legend=_legend(view.samples),
        )
    )


def build_report(run_dir: Path, output: Path | None = None, limit: int = 500) -> Path:
    """Write the gallery of a run directory (default ``RUN_DIR/report.html``) and return its path.

    ``limit`` caps the embedded samples (each carries its picture); charts cover all of them.
    """
    run_dir = Path(run_dir)
    html = render_html(collect_run(run_dir), limit)
    path = Path(output) if output is not None else run_dir / "report.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path
