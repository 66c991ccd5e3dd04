"""The managed-server engine: start vLLM (or SGLang) servers for a local model and drive
them through the OpenAI-compatible engine, load-balanced across servers.

Continuous batching and prefix caching happen inside the servers; this engine only places
them (one per GPU or tensor-parallel group), keeps the routing table in step with their
health, and stops them when it is closed or the interpreter exits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from hoiscribe.engines.base import Completion, Engine, EngineError, Request
from hoiscribe.engines.launcher import SGLANG_COMMAND, VLLM_COMMAND, ServerLauncher
from hoiscribe.engines.openai import OPENAI_OPTIONS, OpenAIEngine

_LAUNCHER_OPTIONS = {
    "command_template",
    "served_model_name",
    "num_servers",
    "gpus",
    "tensor_parallel",
    "host",
    "base_port",
    "health_timeout_s",
    "max_restarts",
    "log_dir",
    "extra_args",
    "env",
    "poll_interval_s",
    "stop_grace_s",
}
_CLIENT_OPTIONS = OPENAI_OPTIONS - {"base_url", "base_urls"}  # the launcher supplies the servers' URLs
_TEMPLATES = {"vllm": VLLM_COMMAND, "sglang": SGLANG_COMMAND}


class VLLMEngine(Engine):
    """Local model PATH served by managed server processes, queried over HTTP."""

    name = "vllm"
    batches_itself = True

    def __init__(self, model: str | None = None, **options: Any) -> None:
        unknown = set(options) - _LAUNCHER_OPTIONS - _CLIENT_OPTIONS
        if unknown:
            raise EngineError(
                f"vllm engine: unknown option(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(_LAUNCHER_OPTIONS | _CLIENT_OPTIONS))}"
            )
        if not model:
            raise EngineError("vllm engine needs a model folder (model=PATH)")
        path = Path(model).expanduser()
        if not path.exists():
            raise EngineError(f"model {model!r} is not a local folder; the vllm engine serves local weights")
        launcher_opts = {k: v for k, v in options.items() if k in _LAUNCHER_OPTIONS}
        template = launcher_opts.get("command_template", "vllm")
        launcher_opts["command_template"] = _TEMPLATES.get(template, template)
        launcher_opts.setdefault("served_model_name", path.name)
        client_opts = {k: v for k, v in options.items() if k in _CLIENT_OPTIONS}
        client_opts.setdefault("structured", "structured_outputs")
        self._identity = _identity(path)
        self.launcher = ServerLauncher(str(path), on_change=self._route, **launcher_opts)
        urls = self.launcher.start()
        self.client = OpenAIEngine(launcher_opts["served_model_name"], base_urls=urls, **client_opts)

    def _route(self, urls: list[str]) -> None:
        """Keep routing to healthy servers only (while any is healthy)."""
        if urls and hasattr(self, "client"):
            self.client.set_servers(urls)

    def fingerprint(self) -> str:
        return f"vllm:{self._identity}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        return self._stamp(self.client.generate(requests))

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return self._stamp(await self.client.agenerate(requests))

    def _stamp(self, completions: list[Completion]) -> list[Completion]:
        for c in completions:
            c.fingerprint = self.fingerprint()
        return completions

    def close(self) -> None:
        if hasattr(self, "client"):
            self.client.close()
        self.launcher.shutdown()


def _identity(path: Path) -> str:
    """Model folder name plus a hash of its config: the same weights, wherever they live."""
    config = path / "config.json"
    if config.is_file():
        return f"{path.name}:{hashlib.sha256(config.read_bytes()).hexdigest()[:12]}"
    return path.name
