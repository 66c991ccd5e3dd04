"""Training checkpoints that survive a kill, and the metrics JSONL that follows them.

A checkpoint is written by accelerate's ``save_state`` (model weights as safetensors, optimizer,
scheduler and RNG states) into ``checkpoints/step-N.tmp``; ``state.json`` is written last and
the folder renamed to ``step-N``, so a folder without the ``.tmp`` suffix is always whole.
Resume loads the newest whole one; metrics rows past its step (written after it, before the
kill) are dropped so that the JSONL never holds a step twice.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.io import atomic_write_bytes

STATE = "state.json"


def checkpoint_dir(out: Path, step: int) -> Path:
    return Path(out) / "checkpoints" / f"step-{step:08d}"


def latest_checkpoint(out: Path) -> Path | None:
    """The newest complete checkpoint under ``out/checkpoints``, or None."""
    root = Path(out) / "checkpoints"
    if not root.is_dir():
        return None
    done = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".tmp") and (p / STATE).is_file())
    return done[-1] if done else None


def read_state(ckpt: Path) -> dict[str, Any]:
    return json.loads((ckpt / STATE).read_text())


def save_checkpoint(accelerator: Any, out: Path, step: int, state: dict[str, Any], keep: int) -> Path:
    """Write one checkpoint atomically (main process renames) and keep only the newest ``keep``."""
    final = checkpoint_dir(out, step)
    tmp = final.with_name(final.name + ".tmp")
    if accelerator.is_main_process and tmp.exists():
        shutil.rmtree(tmp)
    accelerator.wait_for_everyone()
    accelerator.save_state(str(tmp), safe_serialization=True)
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        atomic_write_bytes(tmp / STATE, json.dumps({**state, "step": step}, indent=1).encode())
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        done = sorted(p for p in final.parent.iterdir() if p.is_dir() and not p.name.endswith(".tmp"))
        for old in done[: max(0, len(done) - keep)]:
            shutil.rmtree(old, ignore_errors=True)
    accelerator.wait_for_everyone()
    return final


def trim_metrics(path: Path, step: int) -> None:
    """Drop metric rows after ``step`` (and a torn last line) before a resumed run appends."""
    if not path.is_file():
        return
    keep = []
    for line in path.read_bytes().splitlines():
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if int(row.get("step", 0)) <= step:
            keep.append(line)
    atomic_write_bytes(path, b"".join(line + b"\n" for line in keep))


def append_metrics(path: Path, row: dict[str, Any]) -> None:
    with path.open("ab") as fh:
        fh.write(orjson.dumps(row) + b"\n")
