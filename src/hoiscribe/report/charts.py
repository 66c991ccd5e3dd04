"""Summary charts computed over all samples of a run (not just the ones the gallery shows).

Only numbers and labels are computed here; the template turns them into inline SVG, so no
chart library and no script is needed to see them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.report.collect import SampleView

MAX_HOI_ROWS = 30
MAX_TALLY_ROWS = 20
LENGTH_BINS = 12
GOOD_STATUS, BAD_STATUS = ("ok",), ("failed", "dropped")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    frac: float  # bar length, 0..1
    text: str  # value shown after the bar
    tone: str = "neutral"  # good / warn / bad / neutral


@dataclass
class BarChart:
    """Horizontal bars, one labelled row each."""

    title: str
    bars: list[Bar]
    note: str = ""
    kind: str = "bars"
    link: str = ""  # URL-hash filter key the bar labels set (e.g. "hoi")


@dataclass
class Histogram:
    """Vertical bars over numeric bins, one series per stage."""

    title: str
    series: list[tuple[str, list[int]]]  # (stage name, count per bin)
    edges: list[int]  # LENGTH_BINS + 1 bin edges
    note: str = ""
    kind: str = "histogram"
    peak: int = field(init=False)

    def __post_init__(self) -> None:
        self.peak = max((c for _, counts in self.series for c in counts), default=0)


def _tone(rate: float) -> str:
    return "good" if rate >= 0.9 else "warn" if rate >= 0.6 else "bad"


def _rate_bar(label: str, passed: int, total: int) -> Bar:
    rate = passed / total if total else 0.0
    return Bar(label, rate, f"{passed}/{total} ({rate:.0%})", _tone(rate))


def stage_pass_rates(samples: list[SampleView], stage_names: list[str]) -> BarChart:
    """Per stage: rows that are ok, not FAILed by a verdict and without contradicted claims."""
    bars = []
    for i, name in enumerate(stage_names):
        ran = [s.stages[i] for s in samples if s.stages[i].passed is not None]
        bars.append(_rate_bar(name, sum(1 for v in ran if v.passed), len(ran)))
    return BarChart("Pass rate per stage", bars, "ok, no FAIL verdict, no contradicted claim")


def hoi_pass_rates(samples: list[SampleView]) -> BarChart:
    """Per class (HOI class, or the task view's: object category, ...), worst first, so the
    classes that need attention are on top. Samples without a class are not counted."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for s in samples:
        if s.group is not None:
            groups[s.group].append(s.passed)
    rows = sorted(groups.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), -len(kv[1]), kv[0]))
    note = "a sample passes when every stage passes"
    if len(rows) > MAX_HOI_ROWS:
        note += f"; worst {MAX_HOI_ROWS} of {len(rows)} classes"
    name = next((s.group_name for s in samples if s.group is not None), "HOI class")
    bars = [_rate_bar(h, sum(v), len(v)) for h, v in rows[:MAX_HOI_ROWS]]
    return BarChart(f"Pass rate per {name}", bars, note, link="hoi")


def status_counts(samples: list[SampleView], stage_names: list[str]) -> BarChart:
    """Per stage: rows by status (ok, failed, dropped, missing), then outputs by their own status."""
    bars = []
    total = len(samples)
    for i, name in enumerate(stage_names):
        rows = Counter(s.stages[i].status for s in samples)
        outcomes = Counter(o for s in samples if (o := s.stages[i].outcome) is not None)
        for status, n in sorted(rows.items(), key=lambda kv: (kv[0] not in GOOD_STATUS, kv[0])):
            tone = "good" if status in GOOD_STATUS else "bad" if status in BAD_STATUS else "neutral"
            bars.append(Bar(f"{name}: {status}", n / total if total else 0.0, f"{n}/{total}", tone))
        for outcome, n in outcomes.most_common():
            bars.append(Bar(f"{name} → {outcome}", n / total if total else 0.0, f"{n}/{total}"))
    return BarChart("Status per stage", bars, "rows by status; → outputs by the status they carry")


def tally_charts(samples: list[SampleView]) -> list[BarChart]:
    """One bar chart per tally the task views report (tool calls, expression sources, ...)."""
    tallies: dict[str, Counter[str]] = {}
    for s in samples:
        for spec in s.specs:
            for title, counts in spec.tallies.items():
                tallies.setdefault(title, Counter()).update(counts)
    charts = []
    for title, counts in tallies.items():
        rows = counts.most_common()
        top = max((n for _, n in rows), default=0)
        bars = [Bar(label, n / top if top else 0.0, str(n)) for label, n in rows[:MAX_TALLY_ROWS]]
        note = "summed over the run" + (f"; top {MAX_TALLY_ROWS} of {len(rows)}" if len(rows) > MAX_TALLY_ROWS else "")
        charts.append(BarChart(title, bars, note))
    return charts


def description_lengths(samples: list[SampleView], stage_names: list[str]) -> Histogram:
    """Word counts of every prose stage on shared bins, to compare e.g. describe with refine."""
    per_stage: list[tuple[str, list[int]]] = []
    for i, name in enumerate(stage_names):
        words = [len(t.split()) for s in samples for t in s.stages[i].texts]
        if words:
            per_stage.append((name, words))
    top = max((max(w) for _, w in per_stage), default=0)
    step = max(1, math.ceil((top + 1) / LENGTH_BINS))
    edges = [i * step for i in range(LENGTH_BINS + 1)]
    series = []
    for name, words in per_stage:
        counts = [0] * LENGTH_BINS
        for w in words:
            counts[min(w // step, LENGTH_BINS - 1)] += 1
        series.append((name, counts))
    note = "" if series else "no prose outputs"
    return Histogram("Description length (words)", series, edges, note)


def contradiction_types(samples: list[SampleView]) -> BarChart:
    """Grounding contradictions by type over all stages, plus examiner problems as one row."""
    types: Counter[str] = Counter()
    problems = 0
    for s in samples:
        for st in s.stages:
            types.update(str(c.get("type") or "untyped") for c in st.contradictions)
            problems += len(st.problems)
    rows = types.most_common()
    if problems:
        rows.append(("examiner problems", problems))
    top = max((n for _, n in rows), default=0)
    bars = [Bar(label, n / top, str(n), "bad" if label != "examiner problems" else "warn") for label, n in rows]
    return BarChart("Contradiction types", bars, "" if bars else "no contradicted claims and no examiner problems")


def verdict_counts(samples: list[SampleView]) -> dict[str, int]:
    return dict(Counter(s.verdict for s in samples).most_common())


def all_charts(samples: list[SampleView], stage_names: list[str]) -> list[Any]:
    """The charts that apply: per-class pass rates only when samples have a class, lengths only
    when some stage has texts to measure, then the task views' tallies."""
    charts: list[Any] = [stage_pass_rates(samples, stage_names), status_counts(samples, stage_names)]
    if any(s.group is not None for s in samples):
        charts.append(hoi_pass_rates(samples))
    lengths = description_lengths(samples, stage_names)
    if lengths.series or not any(s.specs for s in samples):
        charts.append(lengths)
    charts.append(contradiction_types(samples))
    return charts + tally_charts(samples)
