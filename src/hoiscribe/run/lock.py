"""One pipeline per run directory: ``RUN/run.lock`` names its holder, and a second run refuses.

Two processes on one ``--out`` would both do every unit's work (each sees the other's units as
not done yet), so a run takes this lock before it reads or writes anything else there.

Mechanism. ``RUN/run.lock`` is a small JSON record of the holder (pid, host, boot id, start
time, command line, job id, a random token) and the file is locked with ``fcntl.flock``:

- every process inside the run holds a shared ``flock`` on the file for as long as it runs; the
  kernel drops it when the process exits or dies, so a killed run never leaves a live lock;
- a process enters by taking the exclusive ``flock`` for a moment: it gets it only when nobody
  holds the shared one. It then reads the record, writes its own and drops to shared. When the
  exclusive ``flock`` is busy, the record says who is inside: a process of the same *job* joins
  (shared), any other refuses with ``RunLockedError`` naming the holder;
- the last process out (the one that gets the exclusive ``flock`` when it leaves) empties the
  record. The file itself stays: deleting a ``flock`` file races with a process opening it.

Jobs. The ranks of one torchrun / Slurm / Ray job share the run legitimately. A process is a rank
of a job when its launcher says so: ``HOISCRIBE_JOB_ID`` (set by hand), torchrun's
``TORCHELASTIC_RUN_ID`` + ``MASTER_ADDR:MASTER_PORT``, Slurm's ``SLURM_JOB_ID`` (+ step), or,
for ranks started by hand with only ``RANK``/``WORLD_SIZE``, the world size (a weak identity:
such ranks are trusted to carry distinct ranks). Without ``HOISCRIBE_JOB_ID`` a process on its
own (world size 1) never shares, even inside a Slurm allocation. The Ray executor makes a token in
the driver and hands it to its actors, which join with it. Within one process the lock is
re-entrant (an executor holds it and calls ``run_pipeline``, which takes it too).

Stale locks. When the exclusive ``flock`` is free, nobody that ``flock`` can see is inside; the
record is then only a note. A record of this machine (same host name and boot id) whose pid is
gone (or is a zombie, or a reused pid with another start time) is taken over at once. A record of
another host is taken over once the file's mtime, which every holder refreshes every
``HEARTBEAT_S`` seconds, is older than ``STALE_S`` seconds (clock skew between hosts counts
against that margin); until then the run refuses, naming that host.

Network file systems. ``flock`` works across hosts on NFSv4 and on Lustre/GPFS/BeeGFS when they
are mounted with lock support; elsewhere it may only lock within one host, or fail. Across hosts
the record and its heartbeat still refuse a second run, but two processes starting within the
same moment on two hosts can both enter, and a job's ranks on different hosts do not see each
other leave (the holder empties the record when it leaves). Where ``flock`` fails outright
(``ENOLCK``, ``EOPNOTSUPP``) only the record is used, with the same caveat on one host.
"""

from __future__ import annotations

import errno
import functools
import inspect
import json
import logging
import os
import shlex
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from hoiscribe.core.io import DiskFullError, is_disk_full
from hoiscribe.run.rundir import RunDir
from hoiscribe.run.units import rank_from_env

try:
    import fcntl
except ImportError:  # not POSIX: only the record is used
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

HEARTBEAT_S = 30.0  # every holder refreshes the lock file's mtime this often
STALE_S = 300.0  # another host's record whose mtime is older than this is taken over
SETTLE_S = 2.0  # how long to retry while another process is entering or leaving
_POLL_S = 0.05
_NO_FLOCK = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}


class RunLockedError(RuntimeError):
    """Another process (not of this job) is running in this run directory."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a run directory, as its lock file records it."""

    pid: int
    host: str
    boot_id: str | None
    proc_start: str | None  # the process's start time since boot (Linux), to tell a reused pid
    started: float
    command: str
    job: str | None
    token: str

    @classmethod
    def this_process(cls, job: str | None) -> LockHolder:
        pid = os.getpid()
        command = shlex.join(getattr(sys, "orig_argv", None) or sys.argv)
        return cls(pid, socket.gethostname(), _boot_id(), _proc_start(pid), time.time(), command[:500], job,
                   uuid.uuid4().hex)  # fmt: skip

    @classmethod
    def from_bytes(cls, data: bytes) -> LockHolder | None:
        """The record, or None for an empty or unreadable file (free, or being written)."""
        try:
            d = json.loads(data)
            return cls(int(d["pid"]), str(d["host"]), d.get("boot_id"), d.get("proc_start"), float(d["started"]),
                       str(d.get("command", "")), d.get("job"), str(d["token"]))  # fmt: skip
        except (ValueError, TypeError, KeyError):
            return None

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    def same_machine(self, other: LockHolder) -> bool:
        boots = (self.boot_id, other.boot_id)
        return self.host == other.host and (None in boots or boots[0] == boots[1])

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))
        job = f" (job {self.job})" if self.job else ""
        command = " ".join(self.command.split())  # one line, whatever the command held
        command = command if len(command) <= 300 else command[:297] + "..."
        return f"pid {self.pid} on host {self.host}{job}, started {when}, command: {command}"


def job_identity(world_size: int | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The launcher job this process is a rank of, or None for a process on its own.

    ``world_size`` is the run's (default: from ``RANK``/``WORLD_SIZE`` or Slurm's variables);
    ``HOISCRIBE_JOB_ID`` counts even for one process.
    """
    env = os.environ if env is None else env
    if env.get("HOISCRIBE_JOB_ID"):
        return f"hoiscribe:{env['HOISCRIBE_JOB_ID']}"
    if world_size is None:
        world_size = rank_from_env(dict(env))[1]
    if world_size <= 1:
        return None
    if env.get("TORCHELASTIC_RUN_ID") or env.get("MASTER_ADDR"):
        run_id = env.get("TORCHELASTIC_RUN_ID", "")
        return f"torchrun:{run_id}@{env.get('MASTER_ADDR', '')}:{env.get('MASTER_PORT', '')}"
    if env.get("SLURM_JOB_ID"):
        step = env.get("SLURM_STEP_ID")
        return f"slurm:{env['SLURM_JOB_ID']}" + (f".{step}" if step else "")
    return f"ranks:world_size={world_size}"


class RunLock:
    """The lock of one run directory, held by this process (see the module docstring)."""

    def __init__(self, run: RunDir, job: str | None = None, *, stale_s: float = STALE_S,
                 heartbeat_s: float = HEARTBEAT_S, settle_s: float = SETTLE_S) -> None:  # fmt: skip
        self.run = run
        self.path = run.lock_path
        self.me = LockHolder.this_process(job)
        self.stale_s, self.heartbeat_s, self.settle_s = stale_s, heartbeat_s, settle_s
        self.took_over: LockHolder | None = None  # the stale holder this process replaced
        self._fd: int | None = None
        self._flock = fcntl is not None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    # ---- acquire / release ------------------------------------------------------------------
    def acquire(self) -> None:
        """Enter the run, or raise ``RunLockedError`` naming who is inside."""
        try:
            self.run.path.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise (DiskFullError.of(exc, self.path) if is_disk_full(exc) else exc) from exc
        try:
            self._enter()
        except BaseException:
            self._close()
            raise
        self._beat = threading.Thread(target=self._heartbeat, name="hoiscribe-lock", daemon=True)
        self._beat.start()

    def _enter(self) -> None:
        deadline = time.monotonic() + self.settle_s
        while True:
            got = self._lock(exclusive=True)
            holder = self._read()
            if got:  # nobody flock can see is inside: the record is only a note
                if holder is None or holder.token == self.me.token or not self._alive(holder):
                    self._take(holder)
                    return
                if self._shares(holder):  # a rank of this job elsewhere, on a host flock does not reach
                    self._lock(exclusive=False)
                    return
                self._unlock()
                # on this machine, with flock, the holder may be between writing its record and sharing
                if not self._flock or not holder.same_machine(self.me) or time.monotonic() > deadline:
                    raise self._refusal(holder)
            elif holder is not None and self._shares(holder):
                if self._lock(exclusive=False, wait=False):
                    return
            elif holder is not None and self._alive(holder):
                raise self._refusal(holder)
            if time.monotonic() > deadline:  # busy, and the record is empty or of a dead holder
                raise self._refusal(holder)
            time.sleep(_POLL_S)  # another process is entering or leaving right now

    def _take(self, stale: LockHolder | None) -> None:
        """Write this process's record (holding the exclusive flock, if any), then share."""
        if stale is not None and stale.token != self.me.token and not self._shares(stale):
            self.took_over = stale
            log.warning("%s: took over the lock of a process that is gone: %s", self.path, stale.describe())
        fd = self._require_fd()
        data = self.me.to_bytes()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
            os.fsync(fd)
        except OSError as exc:
            with suppress(OSError):
                os.ftruncate(fd, 0)
            raise (DiskFullError.of(exc, self.path) if is_disk_full(exc) else exc) from exc
        self._lock(exclusive=False)

    def release(self) -> None:
        """Leave the run; the last process out empties the record."""
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
            self._beat = None
        if self._fd is None:
            return
        try:
            last = self._lock(exclusive=True, wait=False) if self._flock else True
            holder = self._read()
            mine = holder is not None and (holder.token == self.me.token or (self._flock and self._shares(holder)))
            if last and (holder is None or mine):
                with suppress(OSError):
                    os.ftruncate(self._fd, 0)
        finally:
            self._close()

    # ---- helpers ------------------------------------------------------------------------------
    def _shares(self, holder: LockHolder) -> bool:
        return self.me.job is not None and holder.job == self.me.job

    def _alive(self, holder: LockHolder) -> bool:
        if holder.same_machine(self.me):
            return _pid_alive(holder.pid, holder.proc_start)
        try:
            age = time.time() - os.fstat(self._require_fd()).st_mtime
        except OSError:
            return True
        return age < self.stale_s

    def _refusal(self, holder: LockHolder | None) -> RunLockedError:
        who = holder.describe() if holder is not None else "a process whose record is not written yet"
        return RunLockedError(
            f"run directory {self.run.path} is in use by {who}. Two runs on one --out would both do all "
            f"the work: wait for it to finish, stop it, or use another --out (lock file {self.path}; a lock "
            f"whose holder died is taken over: at once on the same host, after {self.stale_s:.0f} s without "
            f"a heartbeat from another host)"
        )

    def _read(self) -> LockHolder | None:
        try:
            return LockHolder.from_bytes(os.pread(self._require_fd(), 65536, 0))
        except OSError:
            return None

    def _lock(self, exclusive: bool, wait: bool = True) -> bool:
        """Take the flock (exclusive: never waiting); False when it is busy. Without flock: True."""
        if not self._flock:
            return True
        op = fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(self._require_fd(), op)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_FLOCK:
                raise
            self._flock = False  # this file system cannot flock: the record alone decides
            log.warning("%s: flock is not supported here (%s); only the lock record guards the run", self.path, exc)
        return True

    def _unlock(self) -> None:
        if self._flock and self._fd is not None:
            with suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            with suppress(OSError):
                os.utime(self.path)

    def _require_fd(self) -> int:
        if self._fd is None:
            raise RuntimeError("the run lock is not open")
        return self._fd

    def _close(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)  # drops the flock
            self._fd = None


# ---- one lock per run directory and process, re-entrant ----------------------------------------
_held: dict[str, tuple[RunLock, int]] = {}
_held_guard = threading.Lock()


@contextmanager
def hold_run_lock(run: RunDir, job: str | None = None, **options: Any) -> Iterator[RunLock]:
    """Hold ``run``'s lock for the block; re-entrant within a process (an executor holding it may
    call ``run_pipeline``, which takes it as well). ``options``: ``stale_s``, ``heartbeat_s``, ``settle_s``."""
    key = os.path.realpath(run.lock_path)
    with _held_guard:
        entry = _held.get(key)
        if entry is None:
            held = RunLock(run, job, **options)
            held.acquire()
            _held[key] = (held, 1)
        else:
            held = entry[0]
            _held[key] = (held, entry[1] + 1)
    try:
        yield held
    finally:
        with _held_guard:
            lock, count = _held[key]
            if count > 1:
                _held[key] = (lock, count - 1)
            else:
                del _held[key]
                lock.release()


def holding_run_lock(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate ``run_pipeline(cfg, rank, world_size, ...)``: the whole call holds ``cfg.out``'s lock,
    as a rank of the launcher's job when ``world_size`` > 1 (re-entrant: executors hold it already)."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        cfg, world_size = bound.arguments["cfg"], bound.arguments["world_size"]
        with hold_run_lock(RunDir(cfg.out), job_identity(world_size)):
            return fn(*args, **kwargs)

    return locked


# ---- process facts --------------------------------------------------------------------------
def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (state first), Linux only."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return data.rsplit(")", 1)[-1].split()


def _proc_start(pid: int) -> str | None:
    fields = _proc_stat(pid)
    return fields[19] if fields is not None and len(fields) > 19 else None


def _pid_alive(pid: int, proc_start: str | None) -> bool:
    """Whether the process that wrote a record on this machine still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    except OSError:
        return False
    fields = _proc_stat(pid)
    if fields is None:
        return True  # no /proc: the pid exists
    if fields[0] == "Z":
        return False  # a zombie: dead, not yet reaped
    return proc_start is None or len(fields) <= 19 or fields[19] == proc_start
