"""Managed servers, for real: stand-in server processes speaking the same protocol as vLLM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")

from hoiscribe.engines.base import EngineError, Message, Request  # noqa: E402
from hoiscribe.engines.launcher import ServerLauncher  # noqa: E402

FAKE = Path(__file__).with_name("fake_openai_server.py")
COMMAND = f"{{python}} {FAKE} {{served_model_name}} --host {{host}} --port {{port}}"


def _wait_for(condition, limit_s: float = 20.0) -> None:
    """Poll until ``condition()`` holds; a bound so nothing hangs, not a timing assertion."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


def _stats(url: str) -> dict:
    return httpx.get(url.removesuffix("/v1") + "/stats", timeout=5).json()


def _req(text: str) -> Request:
    return Request("t", [Message.text("user", text)])


def test_engine_places_routes_restarts_and_stops(tmp_path: Path, monkeypatch) -> None:
    from hoiscribe.catalog import make_engine

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "5,6,7,8")
    model = tmp_path / "tiny-model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model_type": "qwen2_vl"}))
    engine = make_engine(
        "vllm",
        model=str(model),
        command_template=COMMAND,
        tensor_parallel=2,
        base_port=18100,
        health_timeout_s=30,
        poll_interval_s=0.1,
        max_restarts=1,
        backoff_s=0.01,
        log_dir=str(tmp_path / "logs"),
    )
    try:
        launcher = engine.launcher
        assert len(launcher.servers) == 2  # four GPUs, tensor-parallel groups of two
        # each child was given its own device group; the name defaults to CUDA_VISIBLE_DEVICES
        assert [_stats(s.url)["name"] for s in launcher.servers] == ["5,6", "7,8"]
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "5,6,7,8"  # the parent's is untouched
        out = engine.generate([_req(f"[[sleep:20]] q{i}") for i in range(24)])
        assert [c.text for c in out] == [f"echo: q{i} (images=0)" for i in range(24)]
        assert all(c.fingerprint.startswith("vllm:tiny-model:") for c in out)
        counts = [_stats(s.url)["completions"] for s in launcher.servers]
        assert sum(counts) == 24 and min(counts) >= 6, counts

        first = launcher.servers[0]
        old_pid = first.process.pid
        first.process.kill()
        _wait_for(lambda: first.restarts == 1 and first.healthy)
        assert first.process.pid != old_pid
        out = engine.generate([_req(f"again {i}") for i in range(10)])
        assert all(c.error is None for c in out)

        first.process.kill()  # out of restarts: dropped from routing, the other carries on
        _wait_for(lambda: first.dead)
        assert launcher.urls == [launcher.servers[1].url]
        out = engine.generate([_req(f"last {i}") for i in range(10)])
        assert all(c.error is None for c in out), [c.error for c in out if c.error][:2]
        processes = [s.process for s in launcher.servers]
    finally:
        engine.close()
    assert all(p.poll() is not None for p in processes)
    assert (tmp_path / "logs" / "server-0.log").exists()


def test_never_healthy_server_is_a_clear_error(tmp_path: Path) -> None:
    launcher = ServerLauncher(
        "my-model",
        command_template=COMMAND + " --never-healthy",
        num_servers=1,
        gpus=[],
        health_timeout_s=1.5,
        base_port=18200,
        log_dir=tmp_path,
    )
    with pytest.raises(EngineError, match=r"server 0 for model 'my-model' \(port \d+\) not healthy after 1.5s"):
        launcher.start()
    assert launcher.servers[0].process.poll() is not None  # it was stopped, not orphaned


def test_server_that_exits_at_once_reports_its_log(tmp_path: Path) -> None:
    failing = "{python} -c \"import sys; print('CUDA out of memory'); sys.exit(3)\""
    launcher = ServerLauncher("m", command_template=failing, num_servers=2, gpus=[], log_dir=tmp_path)
    with pytest.raises(EngineError, match=r"(?s)exited with code 3.*CUDA out of memory"):
        launcher.start()
    assert all(s.process.poll() is not None for s in launcher.servers)


def test_bad_settings(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="need 4 GPUs; only 2 visible"):
        ServerLauncher("m", num_servers=2, tensor_parallel=2, gpus="0,1")
    with pytest.raises(EngineError, match="bad command_template"):
        ServerLauncher("m", command_template="serve {nope}", gpus=[])
    missing = ServerLauncher("m", command_template="/no/such/binary {port}", gpus=[], log_dir=tmp_path)
    with pytest.raises(EngineError, match="cannot run '/no/such/binary'"):
        missing.start()
    from hoiscribe.catalog import make_engine

    with pytest.raises(EngineError, match="not a local folder"):
        make_engine("vllm", model=str(tmp_path / "absent"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_the_servers(tmp_path: Path, sig: signal.Signals) -> None:
    script = textwrap.dedent(
        f"""
        import time
        from hoiscribe.engines.launcher import ServerLauncher
        launcher = ServerLauncher("m", command_template={COMMAND!r}, num_servers=2, gpus=[],
                                  base_port=18300, log_dir={str(tmp_path)!r})
        launcher.start()
        print("PIDS", *[s.process.pid for s in launcher.servers], flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = parent.stdout.readline()
        assert line.startswith("PIDS"), line
        pids = [int(p) for p in line.split()[1:]]
        parent.send_signal(sig)
        parent.wait(30)
    finally:
        if parent.poll() is None:
            parent.kill()
    for pid in pids:
        _wait_for(lambda pid=pid: not _alive(pid), 10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie waiting for a reaper counts as gone
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False
