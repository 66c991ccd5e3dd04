"""A full disk mid-stage or during the merge: one line through the CLI, a non-zero exit, no temporary
file left, and a rerun that finishes with the merged output of an uninterrupted run.

The disk fills in two ways: a metered ``Path.open`` (every file the run writes goes through it) that
writes part of the write that does not fit and raises ``ENOSPC``, as a full disk does; and, as root
where mounting is allowed, a real tmpfs too small for the run.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.core.io import DiskFullError, atomic_write_bytes
from hoiscribe.run.store import UnitFile
from tests.conftest import make_hico_root
from tests.run.helpers import rows_per_stage, three_stage_dict

runner = CliRunner()
ADVICE = "free space or point --out elsewhere; rerun resumes where it stopped"
_real_open = pathlib.Path.open


class _Metered:
    """A file whose writes draw on the disk's budget; what does not fit is cut off, then ENOSPC."""

    def __init__(self, fh: Any, disk: FullDisk, path: Path) -> None:
        self._fh, self._disk, self._path = fh, disk, path

    def write(self, data: bytes) -> int:
        room = self._disk.take(self._path, len(data))
        if room < len(data):
            self._fh.write(data[:room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self._path))
        return self._fh.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _Metered:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


class FullDisk:
    """Bytes written under ``root`` (to files ``counts(path)`` accepts), until ``budget`` is spent."""

    def __init__(self, root: Path, budget: float = float("inf"), counts: Callable[[Path], bool] = lambda p: True):
        self.root, self.budget, self.counts = root, budget, counts
        self.written: Counter[str] = Counter()
        self.failed: list[Path] = []

    def take(self, path: Path, n: int) -> int:
        room = int(max(0, min(n, self.budget)))
        self.budget -= room
        self.written[str(path.relative_to(self.root))] += room
        if room < n:
            self.failed.append(path)
        return room

    def open(self, path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = _real_open(path, mode, *args, **kwargs)
        writing = any(m in mode for m in "wax+")
        if writing and path.is_relative_to(self.root) and self.counts(path):
            return _Metered(fh, self, path)
        return fh

    def as_method(self) -> Callable[..., Any]:
        """``Path.open`` through this disk (a plain function, so it binds to each path)."""

        def open_(path: Path, *args: Any, **kwargs: Any) -> Any:
            return self.open(path, *args, **kwargs)

        return open_


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FullDisk]]:
    def install(root: Path, budget: float = float("inf"), counts: Callable[[Path], bool] = lambda p: True) -> FullDisk:
        d = FullDisk(root, budget, counts)
        monkeypatch.setattr(pathlib.Path, "open", d.as_method())
        return d

    yield install
    monkeypatch.setattr(pathlib.Path, "open", _real_open)


@pytest.fixture(scope="module")
def hico(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hico_root(tmp_path_factory.mktemp("data") / "hico")


def _config(path: Path, out: Path, data_root: Path) -> Path:
    path.write_text(yaml.safe_dump(three_stage_dict(out, data_root)))
    return path


@pytest.fixture(scope="module")
def reference(hico: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Counter[str]]:
    """An uninterrupted run's merged output and the bytes it wrote per file."""
    tmp = tmp_path_factory.mktemp("reference")
    out = tmp / "run"
    d = FullDisk(out)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pathlib.Path, "open", d.as_method())
        result = runner.invoke(app, ["pipeline", str(_config(tmp / "run.yaml", out, hico))])
    assert result.exit_code == 0, result.output
    return json.loads((out / "merged.json").read_text()), d.written


def _tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def _error_line(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot write "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _named(path: Path) -> Path:
    """The file a write was for: an atomic write's temp file ``.NAME.PID.tmp`` is for ``NAME``."""
    return path.with_name(path.name[1:].rsplit(".", 2)[0]) if path.name.endswith(".tmp") else path


def _rows_on_disk(out: Path) -> int:
    return sum(sum(c.values()) for c in rows_per_stage(out).values())


@pytest.mark.parametrize("where", ["any file", "the request cache"])
def test_disk_full_mid_stage_then_resume(
    tmp_path: Path, hico: Path, disk: Callable[..., FullDisk], reference: tuple[Any, Counter[str]], where: str
) -> None:
    expected, written = reference
    out = tmp_path / "run"
    config = _config(tmp_path / "run.yaml", out, hico)
    if where == "any file":  # the disk fills halfway through the stages' rows
        full = disk(out, sum(n for name, n in written.items() if name.startswith(("stages", "cache"))) // 2)
    else:  # only the cache's writes fail, halfway through them
        in_cache = sum(n for name, n in written.items() if name.startswith("cache"))
        full = disk(out, in_cache // 2, counts=lambda p: "cache" in p.relative_to(out).parts)
    result = runner.invoke(app, ["pipeline", str(config)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    line = _error_line(result)
    failed = full.failed[0]
    assert failed.relative_to(out).parts[0] in (("stages", "cache") if where == "any file" else ("cache",))
    assert line == f"error: cannot write {_named(failed)}: {os.strerror(errno.ENOSPC)}; {ADVICE}"
    assert _tmp_files(out) == [] and not (out / "merged.json").exists()
    kept = _rows_on_disk(out)
    assert kept > 0  # what was appended before the disk filled stays

    disk(out)  # space again
    rerun = runner.invoke(app, ["pipeline", str(config)])
    assert rerun.exit_code == 0, rerun.output
    assert all(len(c) == 606 and set(c.values()) == {1} for c in rows_per_stage(out).values())
    assert json.loads((out / "merged.json").read_text()) == expected
    assert _tmp_files(out) == []


def test_disk_full_during_the_merge_then_resume(
    tmp_path: Path, hico: Path, disk: Callable[..., FullDisk], reference: tuple[Any, Counter[str]]
) -> None:
    expected, written = reference
    out = tmp_path / "run"
    config = _config(tmp_path / "run.yaml", out, hico)
    merged_size = next(n for name, n in written.items() if name.startswith(".merged.json"))
    disk(out, merged_size // 2, counts=lambda p: p.name.startswith(".merged.json"))
    result = runner.invoke(app, ["pipeline", str(config)])
    assert result.exit_code != 0
    assert f"cannot write {out / 'merged.json'}: " in _error_line(result)
    assert _tmp_files(out) == [] and not (out / "merged.json").exists()  # no half-written temp file left

    disk(out)
    rerun = runner.invoke(app, ["pipeline", str(config)])
    assert rerun.exit_code == 0, rerun.output
    assert json.loads((out / "merged.json").read_text()) == expected


def test_merge_command_exports_leave_nothing_half_written(
    tmp_path: Path, hico: Path, disk: Callable[..., FullDisk], monkeypatch: pytest.MonkeyPatch,
    reference: tuple[Any, Counter[str]],
) -> None:  # fmt: skip
    out = tmp_path / "run"
    assert runner.invoke(app, ["pipeline", str(_config(tmp_path / "run.yaml", out, hico))]).exit_code == 0
    exports = tmp_path / "exports"
    exports.mkdir()

    disk(exports, 1000)
    result = runner.invoke(app, ["merge", "--run-dir", str(out), "--output-path", str(exports / "all.jsonl"),
                                 "--format", "jsonl"])  # fmt: skip
    assert result.exit_code != 0 and ADVICE in _error_line(result)
    assert list(exports.iterdir()) == []
    disk(exports)

    pq = pytest.importorskip("pyarrow.parquet")
    real_write = pq.write_table

    def full_write(table: Any, where: Any, **kwargs: Any) -> None:  # what pyarrow raises: no errno, only text
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(pq, "write_table", full_write)
    target = exports / "all.parquet"
    result = runner.invoke(app, ["merge", "--run-dir", str(out), "--output-path", str(target), "--format", "parquet"])
    assert result.exit_code != 0
    assert _error_line(result) == f"error: cannot write {target}: {os.strerror(errno.ENOSPC)}; {ADVICE}"
    assert list(exports.iterdir()) == []
    monkeypatch.setattr(pq, "write_table", real_write)
    result = runner.invoke(app, ["merge", "--run-dir", str(out), "--output-path", str(target), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in exports.iterdir()] == ["all.parquet"]


# ---- the write paths, one by one ----------------------------------------------------------------


def _fails_with(code: int) -> Callable[..., None]:
    def fail(*args: Any) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS])
def test_atomic_write_removes_its_temp_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"old")
    monkeypatch.setattr(os, "fsync", _fails_with(code))
    with pytest.raises(DiskFullError) as caught:
        atomic_write_bytes(path, b"new")
    assert caught.value.errno == code and caught.value.filename == str(path)
    advice = "make it writable or point --out elsewhere" if code == errno.EROFS else "free space or point --out"
    assert str(caught.value).startswith(f"cannot write {path}: ") and advice in str(caught.value)
    assert "rerun resumes where it stopped" in str(caught.value) and "\n" not in str(caught.value)
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_atomic_write_removes_its_temp_file_on_any_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(tmp_path / "f.json", b"new")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(os, "fsync", _fails_with(errno.EIO))  # not a full disk: the OSError as it is
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(tmp_path / "f.json", b"new")
    assert not isinstance(caught.value, DiskFullError) and list(tmp_path.iterdir()) == []


def test_a_unit_file_stops_at_a_full_disk_and_keeps_its_rows(
    tmp_path: Path, disk: Callable[..., FullDisk], monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = UnitFile(tmp_path, "u00000")
    rows = [{"sample_id": f"s{i}", "status": "ok", "output": "x" * 50} for i in range(4)]
    unit.append(rows[:2])
    unit.close()
    size = unit.path.stat().st_size
    disk(tmp_path, size // 2 + 7)  # room for one row and a bit of the next
    unit = UnitFile(tmp_path, "u00000")
    with pytest.raises(DiskFullError, match=r"u00000\.jsonl: No space left on device; free space"):
        unit.append(rows[2:])
    with pytest.raises(DiskFullError):  # no more writes to this file in this process
        unit.append(rows[2:])
    with pytest.raises(DiskFullError):
        unit.finish(None, {"rows": 4})
    assert [r["sample_id"] for r in unit.read()] == ["s0", "s1", "s2"]  # the torn 4th row is not a row
    assert not unit.done_path.exists()

    disk(tmp_path)  # space again, but the quota is found at the fsync before the marker
    monkeypatch.setattr(os, "fsync", _fails_with(errno.EDQUOT))
    unit = UnitFile(tmp_path, "u00001")
    unit.append(rows)
    with pytest.raises(DiskFullError, match=r"u00001\.jsonl: Disk quota exceeded"):
        unit.finish(None, {"rows": 4})
    assert len(unit.read()) == 4 and not unit.done_path.exists()


def test_a_row_cut_just_before_its_newline_is_torn(tmp_path: Path) -> None:
    """A full disk can stop a write between a row's closing brace and its newline: that row is redone."""
    unit = UnitFile(tmp_path, "u00000")
    unit.append([{"sample_id": "a"}])
    unit.close()
    with unit.path.open("ab") as fh:
        fh.write(b'{"sample_id": "b"}')
    assert [r["sample_id"] for r in unit.read()] == ["a"]
    unit.append([{"sample_id": "c"}])
    assert [r["sample_id"] for r in unit.read()] == ["a", "c"]


# ---- a real full disk ----------------------------------------------------------------------------


def _mount_tmpfs(where: Path, size_kib: int) -> None:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs root to mount a tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def _disk_use_kib(root: Path, skip: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_blocks // 2 for p in root.rglob("*") if p.is_file() and p.name not in skip)


@pytest.mark.parametrize("fills", ["mid-stage", "at the merge"])
def test_a_real_full_tmpfs_then_resume(
    tmp_path: Path, hico: Path, reference: tuple[Any, Counter[str]], fills: str
) -> None:
    expected, _ = reference
    ref = tmp_path / "ref"
    assert runner.invoke(app, ["pipeline", str(_config(tmp_path / "ref.yaml", ref, hico))]).exit_code == 0
    before_merge = _disk_use_kib(ref, skip=("merged.json", "stats.json"))
    assert (ref / "merged.json").stat().st_blocks // 2 > 4 * 64  # far more than the 64 KiB spare room below
    # the read samples' spill lives in the run directory while the stages run (removed before the merge)
    spill_kib = json.loads((ref / "runtime" / "rank0.json").read_text())["spill_bytes"] // 1024 + 4
    mount = tmp_path / "disk"
    _mount_tmpfs(mount, before_merge // 2 if fills == "mid-stage" else before_merge + spill_kib + 64)  # KiB
    try:
        out = mount / "run"
        config = _config(tmp_path / "run.yaml", out, hico)
        result = runner.invoke(app, ["pipeline", str(config)])
        assert result.exit_code != 0
        line = _error_line(result)
        assert ADVICE in line and str(out) in line
        assert _tmp_files(out) == [] and not (out / "merged.json").exists()
        if fills == "mid-stage":
            assert _rows_on_disk(out) > 0
        else:
            assert f"cannot write {out / 'merged.json'}" in line

        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        rerun = runner.invoke(app, ["pipeline", str(config)])
        assert rerun.exit_code == 0, rerun.output
        assert json.loads((out / "merged.json").read_text()) == expected
        assert _tmp_files(out) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
