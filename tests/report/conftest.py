"""Fixtures: the fabricated demo run, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.report.fabricate import demo_run, fabricate_failures


@pytest.fixture(scope="session")
def fabricated_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared and read-only: tests that write must pass ``output=`` or copy it."""
    return fabricate_failures(demo_run(tmp_path_factory.mktemp("report") / "run"))


@pytest.fixture
def run_copy(fabricated_run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(fabricated_run, tmp_path / "copy"))
