"""Shared fixtures for engine tests: offline hub, one torch thread, tiny models built once."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# nothing in these tests may reach a model hub, and progress bars only clutter the log
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


@pytest.fixture(scope="session")
def torch_one_thread() -> None:
    """Two threads on a busy 2-core machine turn a 0.03 s tiny generate into seconds."""
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, torch_one_thread: None) -> Callable[[str], Path]:
    """``tiny_model(family)``: the path of that family's tiny model, built once per session."""
    pytest.importorskip("transformers")
    from hoiscribe.testing.tiny import make_tiny_model

    root = tmp_path_factory.mktemp("tiny-models")
    built: dict[str, Path] = {}

    def get(family: str) -> Path:
        if family not in built:
            built[family] = make_tiny_model(family, root / family)
        return built[family]

    return get


@pytest.fixture(scope="session")
def tiny_engine(tiny_model: Callable[[str], Path]) -> Callable[..., object]:
    """``tiny_engine(family, **options)``: a TransformersEngine on that tiny model, cached."""
    from hoiscribe.catalog import make_engine

    engines: dict[tuple, object] = {}

    def get(family: str, **options: object) -> object:
        key = (family, tuple(sorted(options.items())))
        if key not in engines:
            engines[key] = make_engine("transformers", model=str(tiny_model(family)), **options)
        return engines[key]

    yield get
    for engine in engines.values():
        engine.close()


@pytest.fixture
def unused_port() -> int:
    """A local port nothing listens on (bound, read, released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
