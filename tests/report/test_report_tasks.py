"""The gallery of every task family: pose transitions, referring expressions, the HOI agent.

Each grounded config runs on a few samples of its self-drawn demo set (see ``task_runs``);
the page is read as a DOM: every card has its picture(s), its outputs as sentences, its
checker section; contradicted claims are marked, text is escaped, a missing image is a
placeholder. The last test opens the three pages in headless Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hoiscribe.catalog import REPORT_VIEWS, TASKS
from hoiscribe.report import build_report
from hoiscribe.report.build import render_html
from hoiscribe.report.collect import collect_run
from tests.report import task_runs as tr
from tests.report.fabricate import HOSTILE, parse_page
from tests.report.task_runs import Node, cards, dom, lines, marks, section
from tests.report.test_report_browser import CHROMIUM, _assert_clean, _dump

ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


def test_report_views_resolve_and_live_in_their_feature() -> None:
    """Like the catalog's own check (tests/test_architecture.py): one view per task, in the task's feature."""
    assert sorted(REPORT_VIEWS.names()) == ["expressions", "hoi_reason", "transition", "transition_composite"]
    for entry in REPORT_VIEWS.entries():
        assert entry.name in TASKS
        assert entry.module.split(".")[1] == TASKS.entry(entry.name).module.split(".")[1]
        assert callable(REPORT_VIEWS.get(entry.name))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("task-runs")
    return {
        "pose": tr.pose_run(base / "pose"),
        "expressions": tr.expressions_run(base / "expressions"),
        "agent": tr.agent_run(base / "agent"),
    }


@pytest.fixture(scope="module")
def pages(runs: dict[str, Path]) -> dict[str, str]:
    return {name: build_report(path).read_text() for name, path in runs.items()}


def _images(card: Node) -> list[Node]:
    return card.one("div", "pics").all("img")


def _checker(card: Node) -> Node:
    return card.one("div", "checker")


def _claims(card: Node, status: str) -> list[str]:
    return [c.one("q").text() for c in _checker(card).all("li", status)]


@pytest.mark.parametrize("name", ["pose", "expressions", "agent"])
def test_every_card_has_pictures_readable_outputs_and_a_checker(pages: dict[str, str], name: str) -> None:
    page = dom(pages[name])
    found = cards(page)
    assert len(found) == {"pose": 4, "expressions": 6, "agent": 4}[name]
    for sid, card in found.items():
        imgs = _images(card)
        assert len(imgs) == (2 if name == "pose" else 1), sid
        assert all((img.attrs["src"] or "").startswith("data:image/jpeg;base64,") for img in imgs)
        sections = card.all("div", "section")
        assert sections and all(s.all("li") or s.all("p", "empty") for s in sections), sid
        assert not card.all("pre"), f"{sid}: a JSON dump instead of sentences"
        assert _checker(card).one("h4").text().strip()
    assert "{" not in " ".join(li.text() for c in found.values() for li in c.all("li")), "JSON in the text"


def test_pose_pairs_side_by_side_with_caption_lists_and_the_transition_checker(pages: dict[str, str]) -> None:
    card = cards(dom(pages["pose"]))[tr.POSE_WRONG]
    figures = card.one("div", "pics")
    assert "pair" in figures.classes
    assert [f.one("figcaption").text() for f in figures.all("figure")] == [
        "reference: train_000_ref.jpg", "target: train_000_tgt.jpg"]  # fmt: skip
    titles = [s.one("h4").text() for s in card.all("div", "section")]
    assert titles[:5] == ["Movements", "Descriptions (mllm)", "Reverse transition", "Mirrored descriptions",
                          "Mirrored reverse"]  # fmt: skip
    mllm = section(card, "Descriptions (mllm)")
    assert lines(mllm)[0] == tr.WRONG_SIDE
    assert marks(mllm) and marks(mllm)[0].lower() in tr.WRONG_SIDE.lower()  # the checker's claim, marked in place
    assert not marks(section(card, "Reverse transition"))  # the checker reads the mllm list only
    assert _claims(card, "contradicted")
    assert card.attrs["data-attention"] == "1"
    assert "transition checker" in _checker(card).one("h4").text()


def test_pose_missing_image_is_a_placeholder_beside_the_found_one(pages: dict[str, str]) -> None:
    card = cards(dom(pages["pose"]))[tr.POSE_MISSING]
    captions = [f.one("figcaption").text() for f in card.all("figure")]
    assert "image not available" not in captions[0] and "image not available" in captions[1]
    assert len(_images(card)) == 2


def test_expressions_chosen_box_sources_rejections_and_the_spatial_checker(pages: dict[str, str]) -> None:
    page = dom(pages["expressions"])
    card = cards(page)[tr.EXPR_REJECTED]
    head = section(card, "Expression")
    tags = [li.one("span", "tag").text() for li in head.all("li")]
    assert tags[0] == "given" and any(t.startswith("final") for t in tags)
    positives = section(card, "Positive expressions")
    assert "the leftmost cup" in lines(positives)
    assert {li.one("span", "tag").text() for li in positives.all("li")} >= {"llm", "vlm_short", "grounded"}
    rejected = section(card, "Rejected by the spatial checker")
    assert marks(rejected) == ["the rightmost cup", HOSTILE]  # escaped in the page, plain text in the DOM
    assert "the rightmost cup" in _claims(card, "contradicted")
    assert "leftmost" in _claims(card, "supported")
    legend = page.one("span", "legend").text()
    assert "chosen object" in legend and "other objects" in legend
    # the given "a cup" fits three cups: marked, but the workflow fixed it, so it does not count
    ambiguous = cards(page)["images/scene_00_cups_row.png#o1#6994647e"]
    assert marks(section(ambiguous, "Expression")) == ["a cup"]
    assert ambiguous.attrs["data-attention"] == "0"


def test_expressions_outcome_filters_and_placeholder(pages: dict[str, str]) -> None:
    page = dom(pages["expressions"])
    found = cards(page)
    assert found[tr.EXPR_UNSOLVED].attrs["data-attention"] == "1"
    assert found[tr.EXPR_UNSOLVED].one("span", "outcome").text() == "unsolved"
    assert {c.attrs["data-hoi"] for c in found.values()} == {"cup", "sports ball"}
    assert "Object category" in page.one("nav", "filters").text()
    placeholders = [sid for sid, c in found.items() if "image not available" in c.one("figcaption").text()]
    assert placeholders and all(sid.startswith(tr.EXPR_MISSING_IMAGE) for sid in placeholders)


def test_agent_predictions_tool_calls_and_the_gt_match(pages: dict[str, str]) -> None:
    found = cards(dom(pages["agent"]))
    card = found[tr.AGENT_WRONG_VERB]
    interactions = section(card, "Interactions")
    assert lines(interactions)[0].startswith("GT inspect cup")
    assert any(t.startswith("drink with cup (0.90)") for t in lines(interactions))
    assert marks(interactions) == ["GT inspect cup"]
    assert _claims(card, "contradicted") == ["GT inspect cup"]
    assert card.attrs["data-attention"] == "1" and card.attrs["data-hoi"] == "inspect cup"
    chain = lines(section(card, "Tool calls"))
    assert chain[0].startswith("answered after 3 turns")
    assert any(t.startswith("detect_humans() → found 1 person") for t in chain)
    assert any(t.startswith("answers: drink with cup (0.90), hold cup (0.40)") for t in chain)
    # the sibling pair of the same image finds its GT (hold cup) among the same predictions
    sibling = found["HICO_train2015_demo0002_hold_cup.jpg#0"]
    assert _claims(sibling, "supported")[0] == "GT hold cup" and sibling.attrs["data-attention"] == "0"
    assert lines(section(found[tr.AGENT_HOSTILE], "Reasoning")) == [HOSTILE]
    assert "image not available" in found[tr.AGENT_MISSING].one("figcaption").text()
    assert "image not available" not in card.one("figcaption").text()


def _charts(html: str) -> dict[str, dict[str, str]]:
    """Chart title -> {bar label: value text}, read from each bar's SVG <title>."""
    out = {}
    for fig in dom(html).all("figure", "chart"):
        title = str(fig.one("figcaption").children[0]).strip()
        out[title] = dict(g.one("title").text().rsplit(": ", 1) for g in fig.all("g", "row"))  # type: ignore[misc]
    return out


def test_charts_status_per_stage_and_the_ones_that_apply(pages: dict[str, str]) -> None:
    pose, expressions, agent = (_charts(pages[n]) for n in ("pose", "expressions", "agent"))
    assert list(pose) == ["Pass rate per stage", "Status per stage", "Description length (words)",
                          "Contradiction types", "Mirroring (texts)"]  # fmt: skip
    assert list(expressions) == ["Pass rate per stage", "Status per stage", "Pass rate per object category",
                                 "Description length (words)", "Contradiction types",
                                 "Kept expressions by source", "Rejected by the spatial checker"]  # fmt: skip
    assert list(agent) == ["Pass rate per stage", "Status per stage", "Pass rate per HOI class",
                           "Contradiction types", "Tool calls"]  # fmt: skip
    assert pose["Status per stage"] == {"transition: ok": "4/4"}
    assert pose["Pass rate per stage"] == {"transition": "3/4 (75%)"}  # the wrong-side text
    assert expressions["Status per stage"] == {"expressions: ok": "6/6", "expressions → solved": "5/6",
                                               "expressions → unsolved": "1/6"}  # fmt: skip
    assert expressions["Rejected by the spatial checker"] == {"vlm_short positive": "1", "vlm_long negative": "1"}
    assert agent["Status per stage"] == {"hoi: ok": "4/4", "hoi → answered": "4/4"}
    assert agent["Contradiction types"] == {"wrong_verb": "1"}
    assert agent["Pass rate per HOI class"]["inspect cup"] == "0/1 (0%)"
    assert agent["Tool calls"]["spatial_relation"] == "4"
    assert '<a href="#hoi=inspect%20cup">' in pages["agent"]


@pytest.mark.parametrize("name", ["pose", "expressions", "agent"])
def test_text_is_escaped_and_the_page_self_contained(pages: dict[str, str], name: str) -> None:
    html = pages[name]
    assert HOSTILE not in html and ESCAPED in html
    assert html.count("<script>") == 2
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)


def test_a_broken_view_hook_never_stops_the_report(runs: dict[str, Path]) -> None:
    def raises(record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]) -> Any:
        raise RuntimeError(HOSTILE)

    def garbage(record: dict[str, Any], row: dict[str, Any], image_records: list[dict[str, Any]]) -> Any:
        return {
            "pictures": [{"boxes": [{"box": "x"}], "size": [-1, "a"]}, 7],
            "sections": [{"lines": [None, 3]}],
            "checker": {"claims": [{"claim": HOSTILE, "status": "??"}]},
            "passed": "yes",
            "tallies": [1],
        }

    with REPORT_VIEWS.overridden("transition", raises):
        html = render_html(collect_run(runs["pose"]))
    assert len(parse_page(html).cards) == 4 and "report view of &#39;transition&#39; failed: RuntimeError" in html
    assert HOSTILE not in html
    with REPORT_VIEWS.overridden("transition", garbage):
        html = render_html(collect_run(runs["pose"]))
    page = dom(html)
    assert len(cards(page)) == 4 and HOSTILE not in html
    assert all(len(c.one("div", "pics").all("img")) == 1 for c in cards(page).values())  # placeholder pictures


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install -y chromium)")
def test_pages_render_in_chromium(pages: dict[str, str], runs: dict[str, Path], tmp_path: Path) -> None:
    """Each page after its scripts ran: no script, resource or policy error (a broken data URI
    would log one), the attention filter read from the URL hash, every card's content there."""
    attention = {"pose": [tr.POSE_WRONG], "expressions": [tr.EXPR_REJECTED, tr.EXPR_UNSOLVED],
                 "agent": [tr.AGENT_WRONG_VERB]}  # fmt: skip
    for name, run_dir in runs.items():
        dom_text, stderr = _dump(run_dir / "report.html", "#attention=1", tmp_path / f"profile-{name}")
        _assert_clean(dom_text, stderr)
        found = cards(dom(dom_text))
        assert len(found) == len(cards(dom(pages[name])))
        visible = [sid for sid, c in found.items() if "hidden" not in c.attrs]
        assert sorted(visible) == sorted(attention[name]), name
        for sid, card in found.items():
            assert card.one("div", "pics").all("img"), sid
            assert card.all("div", "section") and card.one("div", "checker"), sid
            assert all(li.text().strip() for s in card.all("div", "section") for li in s.all("li")), sid
        assert parse_page(dom_text).shown_count == str(len(attention[name]))
