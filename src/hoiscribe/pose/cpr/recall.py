"""Recall@K over the whole gallery and subset recall Rs@K over each query's img_set group.

Each query has exactly one target; its reference is removed from its own ranking (it would
otherwise often rank first). A target's rank is the number of candidates scoring strictly
higher, so R@K is the percentage of queries whose rank is below K. Scores are one matrix
product per block of queries (features L2-normalised by the caller), so 10,000 queries
against 10,000 images take one pass with bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

KS = (1, 5, 10, 50)
SUBSET_KS = (1, 3, 5)


@dataclass(frozen=True)
class Queries:
    """Per query: the target's gallery index, the reference's (-1 when not in the gallery), group members."""

    target: torch.Tensor  # [Q] long
    reference: torch.Tensor  # [Q] long
    members: torch.Tensor | None = None  # [Q, M] long gallery indices, -1 padding; None: no groups


def target_ranks(query: torch.Tensor, gallery: torch.Tensor, q: Queries, block: int = 1024) -> tuple[Any, Any]:
    """(rank over the gallery, rank inside the group or -1) of each query's target, reference excluded."""
    n = len(query)
    full = torch.empty(n, dtype=torch.long)
    sub = torch.full((n,), -1, dtype=torch.long)
    gt = gallery.T.contiguous()
    for start in range(0, n, block):
        stop = min(n, start + block)
        scores = query[start:stop] @ gt
        rows = torch.arange(stop - start)
        tgt, ref = q.target[start:stop], q.reference[start:stop]
        has_ref = ref >= 0
        scores[rows[has_ref], ref[has_ref]] = float("-inf")
        own = scores[rows, tgt]
        full[start:stop] = (scores > own[:, None]).sum(1)
        if q.members is not None:
            members = q.members[start:stop]
            valid = (members >= 0) & (members != ref[:, None]) & (members != tgt[:, None])
            picked = scores.gather(1, members.clamp(min=0))
            higher = ((picked > own[:, None]) & valid).sum(1)
            has_group = (members >= 0).any(1)
            sub[start:stop] = torch.where(has_group, higher, torch.full_like(higher, -1))
    return full, sub


def recall_table(full: torch.Tensor, sub: torch.Tensor, ks: tuple[int, ...] = KS,
                 subset_ks: tuple[int, ...] = SUBSET_KS) -> dict[str, Any]:  # fmt: skip
    """R@K (and Rs@K over the queries with a group) in percent."""
    if len(full) == 0:
        raise ValueError("no query to evaluate")
    out: dict[str, Any] = {f"R@{k}": 100.0 * int((full < k).sum()) / len(full) for k in ks}
    grouped = sub[sub >= 0]
    for k in subset_ks:
        out[f"Rs@{k}"] = 100.0 * int((grouped < k).sum()) / len(grouped) if len(grouped) else None
    out["queries"], out["subset_queries"] = len(full), len(grouped)
    return out


def members_tensor(groups: list[list[int]]) -> torch.Tensor | None:
    """Groups of gallery indices, padded with -1, or None when no query has one."""
    if not any(groups):
        return None
    width = max(len(g) for g in groups)
    out = torch.full((len(groups), width), -1, dtype=torch.long)
    for i, g in enumerate(groups):
        if g:
            out[i, : len(g)] = torch.tensor(g, dtype=torch.long)
    return out
