"""The managed-server engine: start vLLM (or SGLang) servers for a local model and drive
them through the OpenAI-compatible engine, load-balanced across servers.

Continuous batching and prefix caching happen inside the servers; this engine only places
them (one per GPU or tensor-parallel group), keeps the routing table in step with their
health, and stops them when it is closed or the interpreter exits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainValidator

from hoiscribe.engines.base import AtLeast1, Completion, Engine, EngineError, EngineOptions, Request
from hoiscribe.engines.launcher import SGLANG_COMMAND, VLLM_COMMAND, ServerLauncher
from hoiscribe.engines.openai import OpenAIEngine
from hoiscribe.engines.openai_options import OpenAIClientOptions, Structured

COMMAND_TEMPLATES = {"vllm": VLLM_COMMAND, "sglang": SGLANG_COMMAND}


def _gpus(value: Any) -> Any:
    """GPU ids as ``"0,1"`` (``""``: none) or a list; numbers become ids."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list | tuple) and all(isinstance(g, str | int) and not isinstance(g, bool) for g in value):
        return [str(g) for g in value]
    raise ValueError("expected GPU ids as a string such as '0,1' or a list such as [0, 1]")


def _env(value: Any) -> Any:
    """Numbers in an ``env`` mapping become strings, as a process environment needs."""
    if isinstance(value, dict):
        return {k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for k, v in value.items()}
    return value


class LauncherOptions(EngineOptions):
    """How managed servers are started and watched (``ServerLauncher``'s keyword arguments)."""

    command_template: str = Field(
        "vllm",
        description="`vllm`, `sglang`, or a command with the placeholders `{model} {served_model_name} {host} "
        "{port} {tp} {devices} {index} {python}`",
    )
    served_model_name: str | None = Field(None, description="the name the servers answer to; none: the folder name")
    num_servers: int | None = Field(None, description="servers to start; none: one per GPU group (at least one)")
    gpus: Annotated[list[str] | str | None, PlainValidator(_gpus)] = Field(
        None, description="GPUs to hand out (`'0,1,2,3'` or a list); none: `CUDA_VISIBLE_DEVICES`, else `nvidia-smi`"
    )
    tensor_parallel: AtLeast1 = Field(1, description="GPUs per server (values below 1 count as 1)")
    host: str = Field("127.0.0.1", description="interface the servers listen on")
    base_port: int = Field(8100, description="first port tried; busy ports are skipped")
    health_timeout_s: float = Field(
        900.0, description="how long a server may take to answer `/health` and `/v1/models`"
    )
    max_restarts: int = Field(3, description="restarts per server that dies; then it is dropped from routing")
    log_dir: str | None = Field(None, description="where the `server-N.log` files go; none: a temporary folder")
    extra_args: str = Field("", description="appended to every server command (shell-split)")
    env: Annotated[dict[str, str] | None, BeforeValidator(_env)] = Field(
        None, description="extra environment variables of the server processes"
    )
    poll_interval_s: float = Field(0.5, description="how often the watcher checks the processes")
    stop_grace_s: float = Field(15.0, description="SIGTERM-to-SIGKILL grace when stopping a server")

    def launcher_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``ServerLauncher``, with a named command template resolved."""
        kwargs = self.model_dump(include=set(LauncherOptions.model_fields))
        kwargs["command_template"] = COMMAND_TEMPLATES.get(self.command_template, self.command_template)
        return kwargs


class VLLMOptions(OpenAIClientOptions, LauncherOptions):
    """The launcher's options plus the openai client's (the launcher supplies the servers' URLs)."""

    structured: Structured = Field(
        "structured_outputs",
        description="how `Request.json_schema` is sent: `structured_outputs` (current vLLM), `guided_json` "
        "(older vLLM), `response_format` (OpenAI `json_schema`), `none`",
    )


class VLLMEngine(Engine):
    """Local model PATH served by managed server processes, queried over HTTP."""

    name = "vllm"
    batches_itself = True
    options_model = VLLMOptions

    def __init__(self, model: str | None = None, **options: Any) -> None:
        opts: VLLMOptions = self.parse_options(options)
        if not model:
            raise EngineError("vllm engine needs a model folder (model=PATH)")
        path = Path(model).expanduser()
        if not path.exists():
            raise EngineError(f"model {model!r} is not a local folder; the vllm engine serves local weights")
        self.options = opts
        launcher_opts = opts.launcher_kwargs()
        launcher_opts["served_model_name"] = opts.served_model_name or path.name
        client_opts = opts.model_dump(include=set(OpenAIClientOptions.model_fields))
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
