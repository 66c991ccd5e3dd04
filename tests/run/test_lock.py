"""One run per run directory: a second process refuses naming the holder, a dead holder's lock is
taken over, and the ranks of one job (same job id) share the run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from hoiscribe.run import lock as run_lock
from hoiscribe.run.lock import LockHolder, RunLockedError, hold_run_lock, job_identity
from hoiscribe.run.merge import merged_records
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from tests.conftest import make_hico_root
from tests.run.helpers import rows_per_stage, three_stage, three_stage_dict

# an engine plug-in that holds its stage (and so the run) until the test opens its gate
GATE_ENGINE = """
import asyncio, os, time
from pathlib import Path
from hoiscribe.testing.fakes import SleepEngine

class GateEngine(SleepEngine):
    def __init__(self, model=None, gate="", **options):
        super().__init__(model, **options)
        self.gate = Path(gate)

    async def agenerate(self, requests):
        if not (self.gate / "open").exists():
            (self.gate / f"started-{os.getpid()}").touch()
            deadline = time.monotonic() + 90
            while not (self.gate / "open").exists():
                if time.monotonic() > deadline:
                    raise RuntimeError("the test never opened the gate")
                await asyncio.sleep(0.02)
        return await super().agenerate(requests)
"""
LAUNCHER_VARS = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "TORCHELASTIC_RUN_ID",
                 "HOISCRIBE_JOB_ID")  # fmt: skip


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plugins")
    (folder / "gate_engine.py").write_text(GATE_ENGINE)
    return folder


@pytest.fixture(scope="module")
def hico(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hico_root(tmp_path_factory.mktemp("data") / "hico")


@pytest.fixture(scope="module")
def expected(hico: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The merged records of an uninterrupted run (the gate engine answers as SleepEngine does)."""
    out = tmp_path_factory.mktemp("reference") / "run"
    run_pipeline(three_stage(out, hico))
    records, _ = merged_records(out)
    assert len(records) == 606
    return records


def _env(plugins: Path, **extra: str) -> dict[str, str]:
    """This environment without any launcher's variables (the tests may run under Slurm), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in LAUNCHER_VARS and not k.startswith("SLURM_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plugins), env.get("PYTHONPATH")) if p)
    return {**env, **extra}


def _config(path: Path, out: Path, data_root: Path, gate: Path) -> Path:
    data = three_stage_dict(out, data_root, refine_engine="gate_engine:GateEngine", refine_concurrency=4)
    data["stages"][1]["engine"]["options"]["gate"] = str(gate)
    path.write_text(yaml.safe_dump(data))
    return path


def _command(config: Path) -> list[str]:
    return [sys.executable, "-m", "hoiscribe.cli", "pipeline", str(config)]


def _start(config: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        return subprocess.Popen(_command(config), stdout=fh, stderr=subprocess.STDOUT, env=env)


def _run(config: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(config), env=env, capture_output=True, text=True, timeout=120)


def _wait_for(done: Callable[[], bool], what: str, procs: list[subprocess.Popen[bytes]], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert all(p.poll() is None for p in procs), f"a process ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _snapshot(out: Path) -> dict[str, Any]:
    """Every file under the run directory: its bytes, and its mtime (the lock file's is its heartbeat)."""
    return {
        str(p.relative_to(out)): (p.read_bytes(), None if p.name == "run.lock" else p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def gate(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "gate"
    folder.mkdir()
    yield folder
    (folder / "open").touch()  # never leave a holder waiting


def test_a_second_run_on_the_same_out_refuses_naming_the_holder(
    tmp_path: Path, hico: Path, plugins: Path, gate: Path, expected: list[dict[str, Any]]
) -> None:
    out = tmp_path / "run"
    config = _config(tmp_path / "run.yaml", out, hico, gate)
    env = _env(plugins)
    holder = _start(config, env, tmp_path / "holder.log")
    try:
        _wait_for(lambda: any(gate.glob("started-*")), "the holder's refine stage", [holder])
        before = _snapshot(out)
        second = _run(config, env)
        assert second.returncode != 0
        message = _one_line(second.stderr)
        assert f"run directory {out} is in use by pid {holder.pid} on host {socket.gethostname()}" in message
        assert "started 20" in message and f"hoiscribe.cli pipeline {config}" in message
        assert "Traceback" not in second.stderr and len(second.stderr.strip().splitlines()) == 1
        assert _snapshot(out) == before  # the second process wrote nothing
        assert holder.poll() is None
    finally:
        (gate / "open").touch()
        assert holder.wait(timeout=120) == 0, (tmp_path / "holder.log").read_text()
    assert all(len(c) == 606 and set(c.values()) == {1} for c in rows_per_stage(out).values())
    assert json.loads((out / "merged.json").read_text()) == expected
    assert RunDir(out).lock_path.read_bytes() == b""  # the last one out empties the record


def test_a_lock_whose_holder_was_killed_is_taken_over(
    tmp_path: Path, hico: Path, plugins: Path, gate: Path, expected: list[dict[str, Any]]
) -> None:
    out = tmp_path / "run"
    config = _config(tmp_path / "run.yaml", out, hico, gate)
    env = _env(plugins)
    holder = _start(config, env, tmp_path / "holder.log")
    _wait_for(lambda: any(gate.glob("started-*")), "the holder's refine stage", [holder])
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    record = LockHolder.from_bytes(RunDir(out).lock_path.read_bytes())
    assert record is not None and record.pid == holder.pid  # the record outlives its process

    (gate / "open").touch()
    rerun = _run(config, env)
    assert rerun.returncode == 0, rerun.stderr
    assert f"took over the lock of a process that is gone: pid {holder.pid}" in _one_line(rerun.stderr)
    assert json.loads((out / "merged.json").read_text()) == expected


def test_ranks_of_one_job_share_the_run_and_others_refuse(
    tmp_path: Path, hico: Path, plugins: Path, gate: Path, expected: list[dict[str, Any]]
) -> None:
    out = tmp_path / "run"
    config = _config(tmp_path / "run.yaml", out, hico, gate)
    job = {"WORLD_SIZE": "2", "SLURM_JOB_ID": "4242"}
    ranks = [_start(config, _env(plugins, RANK=str(r), **job), tmp_path / f"rank{r}.log") for r in range(2)]
    try:
        _wait_for(lambda: len(list(gate.glob("started-*"))) == 2, "both ranks inside the run", ranks)
        other_job = _run(config, _env(plugins, RANK="0", WORLD_SIZE="2", SLURM_JOB_ID="999"))
        assert other_job.returncode != 0 and "(job slurm:4242)" in _one_line(other_job.stderr)
        alone = _run(config, _env(plugins))
        assert alone.returncode != 0 and "is in use by pid" in _one_line(alone.stderr)
    finally:
        (gate / "open").touch()
        codes = [p.wait(timeout=120) for p in ranks]
    assert codes == [0, 0], [(tmp_path / f"rank{r}.log").read_text() for r in range(2)]
    assert json.loads((out / "merged.json").read_text()) == expected


# ---- the rules, in this process --------------------------------------------------------------

_JOIN = textwrap.dedent("""
    import sys
    from hoiscribe.run.lock import RunLockedError, hold_run_lock
    from hoiscribe.run.rundir import RunDir
    try:
        with hold_run_lock(RunDir(sys.argv[1]), sys.argv[2] or None, settle_s=0.2):
            print("entered")
    except RunLockedError as exc:
        print("refused:", exc)
""")


def _try_from_another_process(out: Path, job: str | None) -> str:
    done = subprocess.run([sys.executable, "-c", _JOIN, str(out), job or ""], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    return done.stdout.strip()


def test_a_job_token_lets_other_processes_join(tmp_path: Path) -> None:
    """How Ray actors join their driver: the driver's token is their job id."""
    run = RunDir(tmp_path / "run")
    with hold_run_lock(run, "ray:driver-token"):
        assert _try_from_another_process(run.path, "ray:driver-token") == "entered"
        assert _try_from_another_process(run.path, "ray:another-run").startswith("refused: run directory")
        assert _try_from_another_process(run.path, None).startswith("refused: run directory")
    assert _try_from_another_process(run.path, None) == "entered"  # released


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path, demo_root: Path) -> None:
    """An executor holds the lock and calls run_pipeline, which takes it again."""
    cfg = three_stage(tmp_path / "run", demo_root, dataset="demo")
    with hold_run_lock(RunDir(cfg.out)) as held:
        report = run_pipeline(cfg)
        assert report.complete and LockHolder.from_bytes(RunDir(cfg.out).lock_path.read_bytes()) == held.me
    assert RunDir(cfg.out).lock_path.read_bytes() == b""


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _record(run: RunDir, holder: LockHolder, age_s: float = 0.0) -> None:
    run.path.mkdir(parents=True, exist_ok=True)
    run.lock_path.write_bytes(holder.to_bytes())
    stamp = time.time() - age_s
    os.utime(run.lock_path, (stamp, stamp))


def _enter(run: RunDir) -> None:
    with hold_run_lock(run, settle_s=0.2):
        pass


@pytest.fixture(params=["flock", "record only"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """With flock, and as on a file system without it (only the record decides)."""
    if request.param == "record only":
        monkeypatch.setattr(run_lock, "fcntl", None)
    return str(request.param)


def test_stale_and_live_records(tmp_path: Path, mode: str) -> None:
    me = LockHolder.this_process(None)
    run = RunDir(tmp_path / "run")

    dead = LockHolder(_dead_pid(), me.host, me.boot_id, None, time.time(), "hoiscribe pipeline x.yaml", None, "t1")
    _record(run, dead)
    with hold_run_lock(run, settle_s=0.2) as held:
        assert held.took_over == dead
    reused = LockHolder(os.getppid(), me.host, me.boot_id, "-1", time.time(), "old", None, "t2")  # pid now another's
    _record(run, reused)
    with hold_run_lock(run, settle_s=0.2) as held:
        assert held.took_over == reused

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        alive = LockHolder(sleeper.pid, me.host, me.boot_id, run_lock._proc_start(sleeper.pid), time.time(),
                           "hoiscribe pipeline live.yaml", None, "t3")  # fmt: skip
        _record(run, alive)
        with pytest.raises(RunLockedError, match=rf"in use by pid {sleeper.pid} on host .*live\.yaml"):
            _enter(run)
    finally:
        sleeper.kill()
        sleeper.wait()

    elsewhere = LockHolder(12345, "node-elsewhere", "another-boot", None, time.time(), "hoiscribe pipeline", None, "t4")
    _record(run, elsewhere, age_s=10)  # heartbeat 10 s ago: alive
    with pytest.raises(RunLockedError, match=r"pid 12345 on host node-elsewhere.*after 300 s without a heartbeat"):
        _enter(run)
    _record(run, elsewhere, age_s=301)  # no heartbeat for longer than the stale timeout
    with hold_run_lock(run, settle_s=0.2) as held:
        assert held.took_over == elsewhere
    assert run.lock_path.read_bytes() == b""


def test_the_heartbeat_refreshes_the_lock_file(tmp_path: Path) -> None:
    run = RunDir(tmp_path / "run")
    with hold_run_lock(run, heartbeat_s=0.05):
        stamp = time.time() - 1000
        os.utime(run.lock_path, (stamp, stamp))
        time.sleep(0.3)
        assert time.time() - run.lock_path.stat().st_mtime < 5


def test_job_identity_comes_from_the_launcher() -> None:
    assert job_identity(env={}) is None
    assert job_identity(env={"SLURM_JOB_ID": "7", "SLURM_PROCID": "0", "SLURM_NTASKS": "1"}) is None  # one process
    assert job_identity(env={"SLURM_JOB_ID": "7", "SLURM_STEP_ID": "2", "SLURM_PROCID": "1",
                             "SLURM_NTASKS": "4"}) == "slurm:7.2"  # fmt: skip
    torchrun = {"RANK": "1", "WORLD_SIZE": "8", "TORCHELASTIC_RUN_ID": "abc", "MASTER_ADDR": "n1",
                "MASTER_PORT": "29500"}  # fmt: skip
    assert job_identity(env=torchrun) == "torchrun:abc@n1:29500"
    assert job_identity(env={"RANK": "0", "WORLD_SIZE": "3"}) == "ranks:world_size=3"  # started by hand
    assert job_identity(world_size=3, env={}) == "ranks:world_size=3"  # run_pipeline(cfg, rank, 3)
    assert job_identity(env={"HOISCRIBE_JOB_ID": "mine"}) == "hoiscribe:mine"
