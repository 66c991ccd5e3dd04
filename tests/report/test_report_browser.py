"""Open the gallery in headless Chromium: it renders every sample, filters, and logs nothing.

``--dump-dom`` prints the DOM after the page's scripts ran, so filtering by a URL hash (which
the page's JS reads on load) is visible as ``hidden`` cards. Errors are caught twice: the
page's own hook writes them into ``#js-errors``, and Chromium's stderr log carries every
console message as ``INFO:CONSOLE`` (the page logs nothing when it works).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hoiscribe.report import build_report
from tests.report.fabricate import BIKE, CUP, SAMPLES, parse_page

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install -y chromium)")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
)  # fmt: skip


@pytest.fixture(scope="module")
def report(fabricated_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(fabricated_run, tmp_path_factory.mktemp("page") / "report.html")


def _dump(page: Path, fragment: str, profile: Path) -> tuple[str, str]:
    """DOM after scripts ran, and Chromium's stderr; a fresh profile per launch."""
    url = page.resolve().as_uri() + fragment
    assert CHROMIUM is not None
    proc = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def _visible(dom: str) -> list[str]:
    return [c["data-sample"] or "" for c in parse_page(dom).cards if "hidden" not in c]


def _assert_clean(dom: str, stderr: str) -> None:
    page = parse_page(dom)
    assert page.errors.get("data-count") == "0", dom[dom.find('id="js-errors"') :][:500]
    console = [line for line in stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console


def test_renders_every_sample_without_errors(report: Path, tmp_path: Path) -> None:
    dom, stderr = _dump(report, "", tmp_path / "profile")
    _assert_clean(dom, stderr)
    assert len(parse_page(dom).cards) == SAMPLES
    assert len(_visible(dom)) == SAMPLES
    assert parse_page(dom).shown_count == str(SAMPLES)


def test_filters_read_from_the_url_hash(report: Path, tmp_path: Path) -> None:
    dom, stderr = _dump(report, "#verdict=FAIL", tmp_path / "p1")
    _assert_clean(dom, stderr)
    assert _visible(dom) == [BIKE, CUP]
    assert parse_page(dom).shown_count == "2"

    dom, stderr = _dump(report, "#verdict=FAIL&hoi=ride%20bicycle", tmp_path / "p2")
    _assert_clean(dom, stderr)
    assert _visible(dom) == [BIKE]

    dom, stderr = _dump(report, "#hoi=ride%20bicycle&attention=0", tmp_path / "p3")
    _assert_clean(dom, stderr)
    assert _visible(dom) == []
    assert '<p id="no-match" class="empty">' in dom  # its hidden attribute was removed
