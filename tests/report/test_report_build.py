"""The gallery page built from a run directory, checked without a browser."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.report import build_report
from hoiscribe.report.build import pick_samples, render_html
from hoiscribe.report.collect import collect_run
from hoiscribe.report.draw import MAX_SIDE
from hoiscribe.run.merge import MergeError
from tests.report.fabricate import BIKE, BOOK, CUP, HOSTILE, KITE, SAMPLES, parse_page


@pytest.fixture(scope="module")
def page(fabricated_run: Path) -> str:
    return build_report(fabricated_run).read_text()


def _card_html(page: str, sample_id: str) -> str:
    start = page.index(f'data-sample="{sample_id}"')
    return page[start : page.index("</article>", start)]


def test_default_output_path_and_one_card_per_sample(fabricated_run: Path, page: str) -> None:
    assert (fabricated_run / "report.html").is_file()
    cards = parse_page(page).cards
    assert len(cards) == SAMPLES
    assert len({c["data-sample"] for c in cards}) == SAMPLES


def test_cards_carry_the_filter_keys(page: str) -> None:
    cards = {c["data-sample"]: c for c in parse_page(page).cards}
    assert [sid for sid, c in cards.items() if c["data-verdict"] == "FAIL"] == [BIKE, CUP]
    assert {sid for sid, c in cards.items() if c["data-attention"] == "1"} == {BIKE, CUP, KITE}
    assert cards[BIKE]["data-hoi"] == "ride bicycle"
    assert cards[KITE]["data-verdict"] == "PASS"


def test_contradicted_claim_and_examiner_problem_are_highlighted_in_the_text(page: str) -> None:
    card = _card_html(page, BIKE)
    assert re.search(r'<mark class="contradicted" title="pose — right elbow is bent 95 degrees">'
                     r"The right arm is held straight\.</mark>", card)  # fmt: skip
    # the examiner read the describe text: its problem is marked there, case-insensitively
    problem = '<mark class="problem" title="the right foot is off the pedal">The right foot is treading on the bicycle'
    assert problem in card
    assert "1 earlier attempt" in card and "A person is riding a horse." in card
    assert "attempt 2" in card


def test_model_text_is_escaped(page: str) -> None:
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in _card_html(page, CUP)
    assert page.count("<script>") == 2  # the error hook and the filters, nothing else


def test_failed_stage_shows_its_reason(page: str) -> None:
    card = _card_html(page, KITE)
    assert '<span class="badge failed">failed</span>' in card
    assert "parse error: empty answer" in card


def test_page_is_self_contained(page: str) -> None:
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == SAMPLES
    for src in sources:
        assert src.startswith("data:image/jpeg;base64,")
        with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as im:
            assert max(im.size) <= MAX_SIDE


def test_missing_image_becomes_a_placeholder(page: str) -> None:
    card = _card_html(page, BOOK)
    assert "image not available" in card
    assert "image not available" not in _card_html(page, BIKE)


def test_charts_count_every_stage_and_class(page: str) -> None:
    assert "14/15 (93%)" in page  # describe (one contradiction) and refine (one failure)
    assert "13/15 (87%)" in page  # examine: two FAIL verdicts
    assert '<a href="#hoi=ride%20bicycle">' in page  # HOI bars link to the filter
    assert re.search(r">pose</text>.*?>1</text>", page, re.S)
    assert re.search(r">examiner problems</text>.*?>2</text>", page, re.S)


def test_limit_keeps_samples_needing_attention(fabricated_run: Path, tmp_path: Path) -> None:
    out = build_report(fabricated_run, tmp_path / "sub" / "small.html", limit=4)
    assert out == tmp_path / "sub" / "small.html"
    cards = parse_page(out.read_text()).cards
    assert len(cards) == 4
    assert {BIKE, CUP, KITE} <= {c["data-sample"] for c in cards}
    assert "15 in the run" in out.read_text()
    with pytest.raises(ValueError, match="limit"):
        pick_samples(collect_run(fabricated_run).samples, 0)


def test_run_dir_moved_after_the_run_still_finds_demo_images(run_copy: Path, tmp_path: Path) -> None:
    manifest = json.loads((run_copy / "manifest.json").read_text())
    manifest["config"]["out"] = str(tmp_path / "where-it-ran-before")
    (run_copy / "manifest.json").write_text(json.dumps(manifest))
    view = collect_run(run_copy)
    found = {s.sample_id: s.image_path for s in view.samples}
    assert found[BIKE] is not None and run_copy in found[BIKE].parents
    assert found[BOOK] is None


def test_foreign_manifest_and_bare_rows_do_not_crash(run_copy: Path) -> None:
    manifest = json.loads((run_copy / "manifest.json").read_text())
    manifest["config"] = {"dataset": "someday", "stages": "not a list"}
    (run_copy / "manifest.json").write_text(json.dumps(manifest))
    for path in (run_copy / "stages").rglob("u*.jsonl"):  # rows as an older run layer wrote them
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        for r in rows:
            r.pop("grounding", None)
            r.pop("history", None)
            if r["sample_id"] == BIKE and r["stage"] == "describe" and "record" in r:  # seed records: beside rows
                r["record"]["action_labels"].append({"human_part": 42, "partstate": 0})
                r["record"]["keypoints"] = "garbage"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    html = render_html(collect_run(run_copy))
    assert len(parse_page(html).cards) == SAMPLES
    assert html.count("image not available") >= SAMPLES
    assert "unknown label" in _card_html(html, BIKE)
    assert '<span class="grounding"' not in html


def test_not_a_run_directory(tmp_path: Path) -> None:
    with pytest.raises(MergeError, match=r"no manifest\.json"):
        build_report(tmp_path)
