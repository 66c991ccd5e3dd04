"""The data-parallel path: `cpr train` under torchrun with 2 CPU processes (gloo)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from hoiscribe.pose.cpr.checkpoint import load_weights
from hoiscribe.pose.cpr.model import load_retrieval
from hoiscribe.testing.tiny_clip import make_tiny_clip
from tests.pose.cpr.synthetic import write_task

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch built without distributed")
def test_two_cpu_processes_train_one_model_in_sync(tmp_path: Path) -> None:
    clip = make_tiny_clip(tmp_path / "clip")
    root = write_task(tmp_path / "data", texts="states")
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
           "--master_port", str(_free_port()), "-m", "hoiscribe", "cpr", "train", "--stage", "clip",
           "--data-root", str(root), "--model", str(clip), "--out", str(out), "--max-steps", "3", "--no-progress",
           "--set", "batch_size=4", "--set", "device=cpu", "--set", "lr=0.001"]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = json.loads((out / "final" / "summary.json").read_text())
    assert summary["world_size"] == 2 and summary["items_per_step"] == 8  # each rank its own 4 items
    assert summary["replicas_in_sync"] is True and summary["steps"] == 3
    trained = load_weights(out / "final" / "text_encoder.safetensors")
    initial = load_retrieval(str(clip)).backbone.text_state()
    assert any(not torch.equal(trained[k], initial[k]) for k in trained)
    assert proc.stdout.count("trained clip") == 2  # both ranks finished
