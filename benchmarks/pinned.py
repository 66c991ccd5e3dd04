"""One subprocess pinned to core 0 with one thread, timed: the benchmarks that compare the CLI with a
floor run both this way, so that their ratio compares like with like on a shared machine."""

from __future__ import annotations

import os
import subprocess
import time


def pinned_run(cmd: list[str], pythonpath: str | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of ``cmd`` on core 0 (``PYTHONPATH`` set when given)."""
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    before = os.times()
    t0 = time.perf_counter()
    done = subprocess.run(["taskset", "-c", "0", *cmd], check=True, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done.stdout
