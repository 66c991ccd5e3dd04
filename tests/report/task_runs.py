"""Small runs of the three grounded task configs, with fabricated failures, and a DOM reader for their pages.

Each run draws its own demo data inside the run directory. The fabrications go through the
features' real checkers where one exists (a wrong-side transition text is checked by the
transition checker; a rejected expression carries the spatial checker's problems), are
appended as newer rows the way the run layer writes them, and add hostile text and a
missing image to every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hoiscribe.catalog import get_task, read_dataset
from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.run.config import load_config
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from tests.report.fabricate import HOSTILE, append_row

CONFIGS = Path(__file__).parents[2] / "configs"

POSE_WRONG = "train_000_ref.jpg->train_000_tgt.jpg"  # its right elbow bends: "left" is the wrong side
POSE_MISSING = "train_001_ref.jpg->train_001_tgt.jpg"  # its target image is deleted
WRONG_SIDE = "Bend your left elbow more."
EXPR_REJECTED = "images/scene_00_cups_row.png#o0#7dcba737"  # the leftmost cup
EXPR_UNSOLVED = "images/scene_00_cups_row.png#o2#7dcba737"
EXPR_MISSING_IMAGE = "images/scene_01_two_balls.png"
AGENT_WRONG_VERB = "HICO_train2015_demo0002_hold_cup.jpg#1"  # GT inspect cup; the teacher says drink / hold
AGENT_HOSTILE = "HICO_train2015_demo0001_ride_bicycle.jpg#0"
AGENT_MISSING = "HICO_train2015_demo0003_drink_cup.jpg#0"


def run_config(name: str, out: Path, max_samples: int) -> Path:
    cfg = load_config(CONFIGS / f"{name}.yaml", [f"out={out}", f"max_samples={max_samples}", "progress=false"])
    report = run_pipeline(cfg)
    assert report.complete
    return out


def _row(run_dir: Path, stage: str, sample_id: str) -> dict[str, Any]:
    run = RunDir(run_dir)
    return dict(run.stage_rows(next(s for s in run.manifest.stages if s.name == stage))[sample_id])


def pose_run(out: Path) -> Path:
    """4 pairs; one description on the wrong side (checked for real), hostile mirror text, one image gone."""
    run_config("transitions-grounded", out, 4)
    run = RunDir(out)
    pair = next(p for p in read_dataset("pose_demo", run.data_root(), "train").samples if p.sample_id == POSE_WRONG)
    task = get_task("transition")
    output = dict(_row(out, "transition", POSE_WRONG)["output"])
    output["mllm"] = [WRONG_SIDE, *output["mllm"][1:]]
    output["mirror"] = [HOSTILE, *output["mirror"][1:]]
    grounding = task.check(output, task.facts(pair)).as_dict()
    assert grounding["contradicted"] >= 1, grounding
    append_row(out, "transition", POSE_WRONG, output=output, grounding=grounding)
    (run.data_root() / "images" / POSE_MISSING.split("->")[1]).unlink()
    return out


def expressions_run(out: Path) -> Path:
    """6 objects of two scenes; a rejected positive (spatial checker), hostile text, one unsolved, one image gone."""
    run_config("expressions-grounded", out, 6)
    row = _row(out, "expressions", EXPR_REJECTED)
    rec = row["record"]
    target = SpatialObject(rec["object_id"], rec["category"], tuple(rec["bbox"]))
    others = [SpatialObject.from_dict(o) for o in rec["other_objects"]]
    check = check_expression("the rightmost cup", target, [target, *others], (rec["width"], rec["height"]))
    assert not check.ok
    output = dict(row["output"])
    output["rejected"] = [
        {"source": "vlm_short", "polarity": "positive", "text": "the rightmost cup", "problems": check.problems},
        {"source": "vlm_long", "polarity": "negative", "text": HOSTILE, "problems": [HOSTILE]},
    ]
    append_row(out, "expressions", EXPR_REJECTED, output=output)
    unsolved = dict(_row(out, "expressions", EXPR_UNSOLVED)["output"], status="unsolved",
                    reason="no verified expression after 3 cycles")  # fmt: skip
    append_row(out, "expressions", EXPR_UNSOLVED, output=unsolved)
    (RunDir(out).data_root() / EXPR_MISSING_IMAGE).unlink()
    return out


def agent_run(out: Path) -> Path:
    """4 pair samples of 3 images; the teacher misses inspect cup on its own; hostile reasoning, one image gone."""
    run_config("hoi-agent", out, 4)
    output = dict(_row(out, "hoi", AGENT_HOSTILE)["output"], thinking=HOSTILE)
    append_row(out, "hoi", AGENT_HOSTILE, output=output)
    name = AGENT_MISSING.split("#")[0]
    (RunDir(out).data_root() / "Images" / "images" / "train2015" / name).unlink()
    return out


# ---- a small DOM, so tests ask for elements instead of matching text --------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.classes):
                    found.append(c)
                found += c.all(tag, cls)
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"expected one <{tag} class={cls}>, found {len(found)}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def dom(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def cards(page: Node) -> dict[str, Node]:
    return {c.attrs["data-sample"] or "": c for c in page.all("article", "card")}


def section(card: Node, title: str) -> Node:
    """The card's output section with this heading."""
    found = [s for s in card.all("div", "section") if s.one("h4").text().strip() == title]
    assert found, f"no section {title!r}; sections: {[s.one('h4').text() for s in card.all('div', 'section')]}"
    return found[0]


def lines(sec: Node) -> list[str]:
    return [li.one("span", "line").text() for li in sec.all("li")]


def marks(node: Node, kind: str = "contradicted") -> list[str]:
    return [m.text() for m in node.all("mark", kind)]
