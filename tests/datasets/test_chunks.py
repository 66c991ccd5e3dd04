"""``json_object_chunks`` (entry boundaries found with numpy, runs of entries parsed by orjson) gives
the entries and the errors of ``json_object_items``, whatever the chunk size and the file's text."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from hoiscribe.datasets import stream
from hoiscribe.datasets.base import DatasetError
from hoiscribe.datasets.stream import json_object_chunks, json_object_items

TRICKY = {
    "plain.jpg": {"labels": [{"a": 1, "b": [1.5, -2e3, None, True]}]},
    'quote"inside': {"s": 'a "quoted" {brace}, [bracket]'},
    "back\\slash\\": {"s": "ends with a backslash \\", "t": '\\"', "u": '\\\\\\"'},
    "comma,{key}[": ["}", "]", ",", "{", "["],
    "unicode é ✓ \u2028": {"s": "\u00e9\U0001f600", "n": [[[]]], "e": {}},
    "": {"empty key": ""},
    "last": 12345678901234567890,
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _chunked(path: Path, size: int) -> list[tuple[str, Any]]:
    return [kv for chunk in json_object_chunks(path, "HAKE", chunk_bytes=size) for kv in chunk]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_entries_equal_the_incremental_parse(
    tmp_path: Path, size: int, indent: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(TRICKY, indent=indent, ensure_ascii=indent is None)
    path = _write(tmp_path / "a.json", "  \n" + text + "\n\t ")
    expected = list(json_object_items(path, "HAKE"))
    assert len(expected) == len(TRICKY)
    monkeypatch.setattr(stream, "json_object_items", None)  # the fast path reads all of it alone
    assert _chunked(path, size) == expected


@pytest.mark.parametrize("size", [5, 1 << 20])
def test_what_orjson_cannot_vouch_for_goes_the_other_way(tmp_path: Path, size: int) -> None:
    cases = {
        "duplicate": '{"a": 1, "b": 2, "a": 3, "c": 4}',
        "nan": json.dumps({"a": 1, "b": [math.nan], "c": 2}),
        "huge": '{"a": 1, "b": 123456789012345678901234567890, "c": 2}',
        "empty": "{}",
    }
    for name, text in cases.items():
        path = _write(tmp_path / f"{name}.json", text)
        assert _chunked(path, size) == list(json_object_items(path, "HAKE")), name


@pytest.mark.parametrize(
    "text",
    ['{"a": 1} trailing', '{"a": [1, 2', '{"a": 1]', "[1, 2]", '{"a": 1,}', '{"a" 1}', "", '\ufeff{"a": 1}'],
    ids=["trailing", "truncated", "bracket", "list", "comma", "colon", "empty", "bom"],
)
@pytest.mark.parametrize("size", [3, 1 << 20])
def test_bad_files_fail_with_the_same_error(tmp_path: Path, text: str, size: int) -> None:
    path = _write(tmp_path / "bad.json", text)
    with pytest.raises(DatasetError) as want:
        list(json_object_items(path, "HAKE"))
    with pytest.raises(DatasetError) as got:
        _chunked(path, size)
    assert str(got.value) == str(want.value) and str(path) in str(got.value)


def test_an_entry_longer_than_a_chunk_and_many_chunks(tmp_path: Path) -> None:
    data = {f"img{i}.jpg": {"labels": [{"x": "y" * (i % 50)}] * (i % 7)} for i in range(3000)}
    data["big.jpg"] = {"labels": ["z" * 5000]}
    path = _write(tmp_path / "many.json", json.dumps(data))
    chunks = list(json_object_chunks(path, "HAKE", chunk_bytes=4096))
    assert len(chunks) > 10
    assert [kv for c in chunks for kv in c] == list(data.items())
