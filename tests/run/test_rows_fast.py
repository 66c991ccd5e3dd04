"""``read_rows_fast`` reads what ``read_rows`` reads, whatever the file holds; a ``Sealer`` seals in order and
raises what a seal raised."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hoiscribe.core.io import read_rows
from hoiscribe.run.rundir import read_rows_fast
from hoiscribe.run.store import Sealer

CASES = {
    "clean": b'{"sample_id":"a","n":1}\n{"sample_id":"b","n":[1,2]}\n',
    "torn tail": b'{"sample_id":"a"}\n{"sample_id":"b"',
    "torn but parses": b'{"sample_id":"a"}\n{"sample_id":"b"}',
    "blank line": b'{"sample_id":"a"}\n\n{"sample_id":"b"}\n',
    "leading newline": b'\n{"sample_id":"a"}\n',
    "bad line": b'{"sample_id":"a"}\n{"sample_id":\n{"sample_id":"c"}\n',
    "two values on a line": b'{"sample_id":"a"},{"sample_id":"b"}\n{"sample_id":"c"}\n',
    "split value": b'{"sample_id":["a",\n"b"]}\n',
    "not an object": b'{"sample_id":"a"}\n5\n',
    "empty": b"",
    "only a newline": b"\n",
    "no newline at all": b'{"sample_id":"a"}',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_rows_fast_equals_read_rows(tmp_path: Path, name: str) -> None:
    path = tmp_path / "u00000.jsonl"
    path.write_bytes(CASES[name])
    assert read_rows_fast(path) == read_rows(path)


def test_read_rows_fast_of_a_missing_file(tmp_path: Path) -> None:
    assert read_rows_fast(tmp_path / "none.jsonl") == read_rows(tmp_path / "none.jsonl") == []


def test_sealer_runs_seals_in_order_one_at_a_time() -> None:
    order: list[int] = []
    running = threading.Lock()

    def seal(i: int) -> None:
        assert running.acquire(blocking=False)  # never two at once
        order.append(i)
        running.release()

    sealer = Sealer()
    for i in range(20):
        sealer.submit(lambda i=i: seal(i))
    sealer.close()
    assert order == list(range(20))


def test_sealer_raises_a_seals_error_at_the_next_submit_or_close() -> None:
    def boom() -> None:
        raise OSError(28, "No space left on device")

    sealer = Sealer()
    sealer.submit(boom)
    with pytest.raises(OSError):
        sealer.submit(lambda: None)
    sealer.submit(boom)
    with pytest.raises(OSError):
        sealer.close()
    quiet = Sealer()
    quiet.submit(boom)
    quiet.close(raise_errors=False)  # another error is on its way: this one is not raised over it
