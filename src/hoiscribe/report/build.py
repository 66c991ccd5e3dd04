"""Write a run's gallery: one self-contained HTML file (inline CSS, JS, SVG and images).

Nothing is fetched when the page opens (a Content-Security-Policy in the page forbids it),
so the file can be mailed, archived next to the run, or opened from any disk.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from hoiscribe.report.charts import all_charts, verdict_counts
from hoiscribe.report.collect import RunView, SampleView, StageView, collect_run
from hoiscribe.report.draw import data_uri, render_sample
from hoiscribe.report.highlight import CONTRADICTED, PROBLEM, Mark, Segment, segments
from hoiscribe.run.store import atomic_write_bytes


@dataclass
class StageBlock:
    view: StageView
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Card:
    sample: SampleView
    image: str
    image_found: bool
    stages: list[StageBlock]


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


def _card(sample: SampleView) -> Card:
    picture, found = render_sample(sample.record, sample.image_path, sample.part_states)
    blocks = []
    for st in sample.stages:
        text = st.text
        blocks.append(StageBlock(st, segments(text, _marks_for(st, sample)) if text is not None else []))
    return Card(sample, data_uri(picture), found, blocks)


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
    with ThreadPoolExecutor(workers, thread_name_prefix="hoiscribe-report") as pool:
        cards = list(pool.map(_card, shown))  # Pillow releases the GIL while decoding and resizing
    hois: dict[str, int] = {}
    for s in view.samples:
        hois[s.hoi] = hois.get(s.hoi, 0) + 1
    stage_names = [s.name for s in view.stages]
    config = view.config
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
            verdicts=verdict_counts(view.samples),
            hois=sorted(hois.items()),
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
