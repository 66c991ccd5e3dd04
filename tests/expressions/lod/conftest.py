"""A tiny random Grounding DINO and the demo Real-Data, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("scipy")


@pytest.fixture(scope="session")
def tiny_gdino(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hoiscribe.testing.tiny_gdino import make_tiny_gdino

    return make_tiny_gdino("grounding_dino", tmp_path_factory.mktemp("tiny_gdino"))


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder with the demo scenes and ``realdata.jsonl``."""
    from hoiscribe.expressions.lod.demo import write_demo_realdata

    root = tmp_path_factory.mktemp("lod_demo")
    write_demo_realdata(root)
    return root
