"""Loading a transformers vision model for a tool: a local folder or a hub id, one error type.

A tool backend names its model the way ``from_pretrained`` does: a folder written by
``save_pretrained`` (what ``make-tiny-model`` writes) or a hub id such as
``google/owlv2-base-patch16-ensemble``, resolved from the local cache when the machine is
offline. Anything that cannot be loaded becomes one ``ToolSetupError`` naming the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoiscribe.tools.base import ToolSetupError


def require_torch(what: str) -> Any:
    """The transformers module, or ``ToolSetupError`` naming the extra."""
    try:
        import torch  # noqa: F401
        import transformers
    except ModuleNotFoundError as exc:
        raise ToolSetupError(f"the {what} needs {exc.name!r}: pip install 'hoiscribe[hf]'") from exc
    return transformers


def model_ref(model: str, what: str) -> str:
    """A folder (must hold config.json) or a hub id (``owner/name``), as ``from_pretrained`` takes it."""
    path = Path(str(model)).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ToolSetupError(f"{what} model folder {path} has no config.json")
        return str(path)
    text = str(model)
    if text.count("/") == 1 and not text.startswith((".", "/", "~")):
        return text  # a hub id
    raise ToolSetupError(f"{what} model {model!r} is neither a folder nor a hub id (owner/name)")


def load(loader: Any, ref: str, what: str, **kwargs: Any) -> Any:
    """``loader.from_pretrained(ref)`` with a clear error (offline and not cached, bad files)."""
    try:
        return loader.from_pretrained(ref, **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        raise ToolSetupError(f"cannot load the {what} model {ref!r}: {exc}") from exc


def model_type(ref: str, what: str) -> str:
    transformers = require_torch(what)
    return str(load(transformers.AutoConfig, ref, what).model_type)
