"""Work units: stable hashed groups of sample ids, and which rank takes which unit."""

from __future__ import annotations

import hashlib
import math
import os


def unit_of(sample_id: str, num_units: int) -> int:
    """Unit index of a sample: a hash of its id, so it never depends on ranks or order."""
    digest = hashlib.blake2b(sample_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % num_units


def default_num_units(num_samples: int, samples_per_unit: int) -> int:
    return max(1, math.ceil(num_samples / samples_per_unit))


def unit_name(index: int) -> str:
    return f"u{index:05d}"


def rank_from_env(env: dict[str, str] | None = None) -> tuple[int, int]:
    """(rank, world_size) from torchrun (RANK/WORLD_SIZE) or Slurm (SLURM_PROCID/SLURM_NTASKS)."""
    env = dict(os.environ) if env is None else env
    for rank_key, world_key in (("RANK", "WORLD_SIZE"), ("SLURM_PROCID", "SLURM_NTASKS")):
        if rank_key in env and world_key in env:
            rank, world = int(env[rank_key]), int(env[world_key])
            if not 0 <= rank < world:
                raise ValueError(f"{rank_key}={rank} is not in 0..{world - 1}")
            return rank, world
    return 0, 1


def units_for_rank(num_units: int, rank: int, world_size: int) -> list[int]:
    """The units this rank owns: a static round-robin, the same on every rank."""
    return list(range(rank, num_units, world_size))
