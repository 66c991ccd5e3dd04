"""Checkpoints as safetensors: trainable weights, optimizer state, and the step reached.

``checkpoints/step-NNNNNNNN/`` holds ``weights.safetensors``, ``optimizer.safetensors``
(the optimizer's tensors flattened to ``state.<param>.<name>``, its scalars and param groups
in the metadata) and ``state.json``. A checkpoint is written into a temporary folder and
renamed into place, so a kill leaves either the whole checkpoint or none; resuming takes
the newest whole one, and only the last ``keep`` are kept.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open
from safetensors.torch import save_file

PREFIX = "step-"


def _flatten_optimizer(state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, Any] = {}
    for pid, values in state["state"].items():
        for name, value in values.items():
            key = f"state.{pid}.{name}"
            if isinstance(value, torch.Tensor):
                tensors[key] = value.detach().cpu().contiguous()
            else:
                scalars[key] = value
    meta = {"param_groups": json.dumps(state["param_groups"]), "scalars": json.dumps(scalars)}
    return tensors, meta


def _unflatten_optimizer(tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for key, value in [*tensors.items(), *json.loads(meta["scalars"]).items()]:
        _, pid, name = key.split(".", 2)
        state.setdefault(int(pid), {})[name] = value
    return {"state": state, "param_groups": json.loads(meta["param_groups"])}


def _read(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    with safe_open(str(path), framework="pt") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})  # noqa: SIM118


def save_checkpoint(folder: Path, step: int, weights: dict[str, torch.Tensor], optimizer: Any,
                    state: dict[str, Any], keep: int = 2) -> Path:  # fmt: skip
    folder = Path(folder)
    final = folder / f"{PREFIX}{step:08d}"
    tmp = folder / f".tmp-{PREFIX}{step:08d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: v.detach().cpu().contiguous() for k, v in weights.items()}, str(tmp / "weights.safetensors"))
    tensors, meta = _flatten_optimizer(optimizer.state_dict())
    save_file(tensors, str(tmp / "optimizer.safetensors"), metadata=meta)
    (tmp / "state.json").write_text(json.dumps({**state, "step": step}))
    shutil.rmtree(final, ignore_errors=True)
    tmp.replace(final)
    for old in list_checkpoints(folder)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def list_checkpoints(folder: Path) -> list[Path]:
    """Whole checkpoints, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(PREFIX) and (p / "state.json").is_file()]
    return sorted(found, key=lambda p: p.name)


def load_checkpoint(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any], dict[str, Any]]:
    """(weights, optimizer state dict, state.json) of one checkpoint folder."""
    path = Path(path)
    weights, _ = _read(path / "weights.safetensors")
    tensors, meta = _read(path / "optimizer.safetensors")
    return weights, _unflatten_optimizer(tensors, meta), json.loads((path / "state.json").read_text())


def load_weights(path: Path) -> dict[str, torch.Tensor]:
    return _read(Path(path))[0]


def save_weights(path: Path, weights: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    save_file({k: v.detach().cpu().contiguous() for k, v in weights.items()}, str(tmp), metadata=metadata)
    tmp.replace(path)
    return path
