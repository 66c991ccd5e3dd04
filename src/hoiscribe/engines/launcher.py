"""Managed inference servers: one process per GPU or tensor-parallel group.

The launcher is the one place that decides devices: each child gets its own
``CUDA_VISIBLE_DEVICES`` in its environment, the parent's is never touched. It waits for
every server's health and models endpoints, restarts a server that dies (a bounded number
of times), tells its owner which servers are routable, and stops them all on close, on
interpreter exit, on Ctrl-C and on SIGTERM. The command is a template, so the same code
runs ``vllm serve``, SGLang or a stand-in server in tests.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hoiscribe.engines.base import EngineError

log = logging.getLogger(__name__)

VLLM_COMMAND = (
    "vllm serve {model} --host {host} --port {port} --tensor-parallel-size {tp} --served-model-name {served_model_name}"
)
SGLANG_COMMAND = (
    "{python} -m sglang.launch_server --model-path {model} --host {host} --port {port} --tp {tp} "
    "--served-model-name {served_model_name}"
)


@dataclass
class ManagedServer:
    """One server process and its bookkeeping."""

    index: int
    port: int
    devices: str | None
    command: list[str]
    log_path: Path
    host: str = "127.0.0.1"
    process: subprocess.Popen | None = None
    restarts: int = 0
    healthy: bool = False
    dead: bool = False  # out of restarts: no longer routed to
    log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"


def visible_gpus() -> list[str]:
    """GPUs this process may hand out: its own CUDA_VISIBLE_DEVICES, else what nvidia-smi lists."""
    env = os.environ.get("CUDA_VISIBLE_DEVICES")
    if env is not None:
        return [d.strip() for d in env.split(",") if d.strip()]
    if shutil.which("nvidia-smi"):
        try:
            out = subprocess.run(
                ["nvidia-smi", "--query-gpu=index", "--format=csv,noheader"],
                capture_output=True,
                text=True,
                timeout=20,
                check=True,
            ).stdout
            return [line.strip() for line in out.splitlines() if line.strip()]
        except (subprocess.SubprocessError, OSError):
            return []
    return []


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _tail(path: Path, n: int = 20) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])


_LIVE: weakref.WeakSet[ServerLauncher] = weakref.WeakSet()


def _shutdown_all() -> None:
    for launcher in list(_LIVE):
        launcher.shutdown()


def _on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through atexit, which stops the servers


class ServerLauncher:
    """Start, watch, restart and stop a set of OpenAI-compatible server processes."""

    def __init__(
        self,
        model: str,
        *,
        command_template: str = VLLM_COMMAND,
        served_model_name: str | None = None,
        num_servers: int | None = None,
        gpus: list[str] | str | None = None,
        tensor_parallel: int = 1,
        host: str = "127.0.0.1",
        base_port: int = 8100,
        health_timeout_s: float = 900.0,
        max_restarts: int = 3,
        log_dir: str | Path | None = None,
        extra_args: str = "",
        env: dict[str, str] | None = None,
        poll_interval_s: float = 0.5,
        stop_grace_s: float = 15.0,
        on_change: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.model = model
        self.served_model_name = served_model_name or model
        self.host = host
        self.health_timeout_s = float(health_timeout_s)
        self.max_restarts = int(max_restarts)
        self.poll_interval_s = float(poll_interval_s)
        self.stop_grace_s = float(stop_grace_s)
        self.env = dict(env or {})
        self.on_change = on_change
        self.log_dir = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="hoiscribe-servers-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        tp = max(1, int(tensor_parallel))
        gpu_list = [g for g in gpus.split(",") if g] if isinstance(gpus, str) else list(gpus or visible_gpus())
        groups: list[str | None] = [",".join(gpu_list[i : i + tp]) for i in range(0, len(gpu_list) - tp + 1, tp)]
        if num_servers is None:
            num_servers = max(1, len(groups))
        if groups and num_servers > len(groups):
            raise EngineError(
                f"{num_servers} servers with tensor_parallel={tp} need {num_servers * tp} GPUs; "
                f"only {len(gpu_list)} visible ({','.join(gpu_list)})"
            )
        if not groups:
            groups = [None] * num_servers
        self.servers: list[ManagedServer] = []
        port = int(base_port)
        for i in range(num_servers):
            while not _port_free(host, port):
                port += 1
            values = {
                "model": model,
                "served_model_name": self.served_model_name,
                "host": host,
                "port": str(port),
                "tp": str(tp),
                "devices": groups[i] or "",
                "index": str(i),
                "python": sys.executable,
            }
            try:
                command = [part.format(**values) for part in shlex.split(command_template)]
            except (KeyError, IndexError, ValueError) as exc:
                raise EngineError(f"bad command_template {command_template!r}: {exc}") from exc
            command += shlex.split(extra_args)
            self.servers.append(ManagedServer(i, port, groups[i], command, self.log_dir / f"server-{i}.log", host))
            port += 1
        self._stopping = threading.Event()
        self._monitor: threading.Thread | None = None
        self._lock = threading.Lock()

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def urls(self) -> list[str]:
        """Base URLs of servers that are up and routable."""
        return [s.url for s in self.servers if s.healthy and not s.dead]

    def start(self) -> list[str]:
        """Start every server and wait until all are healthy; on failure stop them all."""
        _LIVE.add(self)
        _install_exit_hooks()
        try:
            for server in self.servers:
                self._spawn(server)
            for server in self.servers:
                self._wait_healthy(server)
        except BaseException:
            self.shutdown()
            raise
        self._monitor = threading.Thread(target=self._watch, name="hoiscribe-launcher", daemon=True)
        self._monitor.start()
        return self.urls

    def _spawn(self, server: ManagedServer) -> None:
        env = {**os.environ, **self.env}
        if server.devices is not None:
            env["CUDA_VISIBLE_DEVICES"] = server.devices  # the child's env only
        if server.log_file is not None:
            server.log_file.close()
        server.log_file = open(server.log_path, "ab")  # noqa: SIM115 - lives as long as the process
        log.info("starting server %d on port %d: %s", server.index, server.port, shlex.join(server.command))
        try:
            server.process = subprocess.Popen(
                server.command,
                stdout=server.log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group: we stop it and all its workers
            )
        except OSError as exc:
            raise EngineError(
                f"server {server.index} for model {self.model!r}: cannot run {server.command[0]!r} ({exc})"
            ) from exc
        server.healthy = False

    def _wait_healthy(self, server: ManagedServer) -> None:
        import httpx

        deadline = time.monotonic() + self.health_timeout_s
        base = f"http://{self.host}:{server.port}"
        with httpx.Client(timeout=5.0) as client:
            while True:
                code = server.process.poll() if server.process else None
                if code is not None:
                    raise EngineError(
                        f"server {server.index} for model {self.model!r} (port {server.port}) exited with "
                        f"code {code} before becoming healthy; log {server.log_path}:\n" + _tail(server.log_path)
                    )
                if self._stopping.is_set():
                    raise EngineError("launcher is shutting down")
                try:
                    health = client.get(base + "/health")
                    if health.status_code == 200 and client.get(base + "/v1/models").status_code == 200:
                        server.healthy = True
                        log.info("server %d healthy on port %d", server.index, server.port)
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise EngineError(
                        f"server {server.index} for model {self.model!r} (port {server.port}) not healthy "
                        f"after {self.health_timeout_s:g}s; log {server.log_path}:\n{_tail(server.log_path)}"
                    )
                time.sleep(min(self.poll_interval_s, 0.5))

    def _watch(self) -> None:
        """Restart servers that die, up to ``max_restarts`` each; report routable URLs."""
        while not self._stopping.wait(self.poll_interval_s):
            for server in self.servers:
                if server.dead or server.process is None or server.process.poll() is None:
                    continue
                if self._stopping.is_set():
                    return
                code = server.process.returncode
                server.healthy = False
                self._changed()
                if server.restarts >= self.max_restarts:
                    server.dead = True
                    log.error(
                        "server %d (port %d) exited with code %s and is out of restarts (%d); log %s",
                        server.index,
                        server.port,
                        code,
                        self.max_restarts,
                        server.log_path,
                    )
                    continue
                server.restarts += 1
                log.warning(
                    "server %d (port %d) exited with code %s; restart %d/%d",
                    server.index,
                    server.port,
                    code,
                    server.restarts,
                    self.max_restarts,
                )
                try:
                    self._spawn(server)
                    self._wait_healthy(server)
                except EngineError as exc:
                    log.error("%s", exc)
                    if server.process is not None and server.process.poll() is None:
                        _stop_process(server.process, self.stop_grace_s)
                    continue
                self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self.urls)
            except Exception:  # a routing callback must never kill the watcher
                log.exception("launcher on_change callback failed")

    def shutdown(self) -> None:
        """Stop every server (SIGTERM to its process group, SIGKILL after a grace period)."""
        with self._lock:
            self._stopping.set()
            for server in self.servers:
                if server.process is not None and server.process.poll() is None:
                    _stop_process(server.process, self.stop_grace_s)
                server.healthy = False
                if server.log_file is not None:
                    server.log_file.close()
                    server.log_file = None
            _LIVE.discard(self)
        if self._monitor is not None and self._monitor is not threading.current_thread():
            self._monitor.join(5)

    def __enter__(self) -> ServerLauncher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _stop_process(process: subprocess.Popen, grace_s: float) -> None:
    for sig, wait in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


_HOOKS_INSTALLED = False


def _install_exit_hooks() -> None:
    """Stop servers at interpreter exit, and turn SIGTERM into an orderly exit when nobody
    else handles it (the default would kill us and orphan the servers)."""
    global _HOOKS_INSTALLED
    if _HOOKS_INSTALLED:
        return
    _HOOKS_INSTALLED = True
    atexit.register(_shutdown_all)
    if threading.current_thread() is threading.main_thread():
        try:
            if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
                signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:
            pass
