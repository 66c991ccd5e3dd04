"""Shared fixtures: the real 200-image HAKE subset in the HICO layout, the demo set and its image index,
and offline settings for the tiny Hugging Face models the tests build."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.datasets.gt_index import AnnotationIndex, ImageAnnotation

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

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


@pytest.fixture(scope="session")
def demo_index(demo_root: Path) -> AnnotationIndex:
    return AnnotationIndex.from_samples(read_dataset("demo", demo_root).samples)


@pytest.fixture(scope="session")
def ride_bicycle(demo_index: AnnotationIndex) -> ImageAnnotation:
    return next(a for name, a in demo_index.images.items() if "ride_bicycle" in name)


@pytest.fixture(scope="session")
def one_thread() -> None:
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def fresh_accelerator_state() -> Iterator[None]:
    """accelerate keeps one process-wide AcceleratorState: a TRL trainer run in one test (bf16 on
    CPU) would refuse the next test's ``Accelerator(mixed_precision='no')``. Each training in a test
    stands for a fresh process, as each CLI command is."""
    yield
    import sys

    state = sys.modules.get("accelerate.state")
    if state is not None:
        state.AcceleratorState._reset_state()
