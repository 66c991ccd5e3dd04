"""Agent fixtures: the demo set indexed by image, tiny detector / VLM folders built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hoiscribe.catalog import read_dataset
from hoiscribe.datasets.gt_index import AnnotationIndex, ImageAnnotation

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


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
