"""A reader's packed twin spills exactly what its samples would: the same spill bytes (digests
included), unit hashes, offsets, drops and stats as the ``Sample`` path, on clean and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hoiscribe.run import source
from hoiscribe.run.config import load_config
from tests.conftest import make_hico_root
from tests.datasets.test_hake_fast import _edge_cases


def _spill(root: Path, out: Path, **extra: object) -> tuple[bytes, source.SampleIndex]:
    base = {"dataset": "hico", "data_root": str(root), "out": str(out), "progress": False,
            "stages": [{"name": "describe", "task": "describe"}]}  # fmt: skip
    base.update(extra)
    index = source.index_dataset(load_config(None, [], base))
    data = index.path.read_bytes()
    index.close()
    return data, index


@pytest.mark.parametrize("identity", ["stat", "hash"])
def test_the_packed_twin_spills_the_samples_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, identity: str
) -> None:
    root = make_hico_root(tmp_path / "hico", _edge_cases())
    images = root / "Images" / "images" / "train2015"
    for name in list(json.loads(next((root / "Annotation").rglob("*.json")).read_text()))[5:40]:
        if "/" not in name and ".." not in name:
            (images / name).write_bytes(name.encode())  # some images exist: their identity is in the digest
    fast, fast_index = _spill(root, tmp_path / "a", image_identity=identity)
    monkeypatch.setattr(source, "reader_packed", lambda reader: None)  # the Sample path, as before the twin
    slow, slow_index = _spill(root, tmp_path / "b", image_identity=identity)
    assert fast == slow and len(fast_index) > 600
    assert np.array_equal(fast_index.hashes, slow_index.hashes)
    assert np.array_equal(fast_index.offsets, slow_index.offsets)
    assert fast_index.read.dropped == slow_index.read.dropped and fast_index.read.dropped
    assert fast_index.read.stats == slow_index.read.stats


def test_max_samples_spills_the_same_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_hico_root(tmp_path / "hico", _edge_cases())
    fast, _ = _spill(root, tmp_path / "a", max_samples=37)
    monkeypatch.setattr(source, "reader_packed", lambda reader: None)
    slow, _ = _spill(root, tmp_path / "b", max_samples=37)
    assert fast == slow and fast.count(b"\n") == 37


@pytest.mark.parametrize("block", [1, 3, 64])
def test_a_unit_loads_exactly_its_spill_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """Each unit's lines, sliced from the mapped spill a block at a time (pages handed back between blocks),
    are that unit's lines of the file, in reading order; together the units hold every line once."""
    monkeypatch.setattr(source, "MAP_BLOCK", block)
    base = {"dataset": "hico", "data_root": str(make_hico_root(tmp_path / "hico")), "out": str(tmp_path / "run"),
            "progress": False, "stages": [{"name": "describe", "task": "describe"}]}  # fmt: skip
    index = source.index_dataset(load_config(None, [], base))
    lines = [json.loads(line) for line in index.path.read_bytes().splitlines()]
    index.assign(7)
    seen = []
    for unit in range(7):
        got = index._lines(unit)
        want = [i for i, h in enumerate(index.hashes.tolist()) if h % 7 == unit]
        assert got == [lines[i] for i in want]
        seen += want
    index.close()
    assert sorted(seen) == list(range(len(lines))) and len(lines) == 606
