"""Shared fixtures: the real 200-image HAKE subset in the HICO layout, and the demo set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
HAKE_SUBSET = DATA / "hake" / "hico-det-training-set-instance-level.first200.json"


def make_hico_root(root: Path, annotation: dict | None = None) -> Path:
    """A HICO-DET layout holding the given (default: real subset) HAKE annotation, no images."""
    ann_dir = root / "Annotation" / "hico-det-instance-level"
    ann_dir.mkdir(parents=True, exist_ok=True)
    target = ann_dir / "hico-det-training-set-instance-level.json"
    if annotation is None:
        shutil.copy(HAKE_SUBSET, target)
    else:
        target.write_text(json.dumps(annotation))
    (root / "Images" / "images" / "train2015").mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def hico_root(tmp_path: Path) -> Path:
    return make_hico_root(tmp_path / "hico")


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hoiscribe.datasets.demo import write_demo_set

    return write_demo_set(tmp_path_factory.mktemp("demo"))
