"""R@K and Rs@K equal a brute-force oracle exactly on random features."""

import numpy as np
import pytest
import torch

from hoiscribe.pose.cpr.recall import KS, SUBSET_KS, Queries, members_tensor, recall_table, target_ranks


def _oracle(query: np.ndarray, gallery: np.ndarray, target: list[int], reference: list[int],
            groups: list[list[int]]) -> dict[str, float | None]:  # fmt: skip
    """Sort every candidate by its own dot product, one query at a time."""
    full_hits = {k: 0 for k in KS}
    sub_hits = {k: 0 for k in SUBSET_KS}
    grouped = 0
    for i, q in enumerate(query):
        candidates = [j for j in range(len(gallery)) if j != reference[i]]
        ranked = sorted(candidates, key=lambda j: -float(np.dot(q, gallery[j])))
        pos = ranked.index(target[i])
        for k in KS:
            full_hits[k] += pos < k
        if groups[i]:
            grouped += 1
            members = [j for j in ranked if j in groups[i] and j != reference[i]]
            sub_pos = members.index(target[i])
            for k in SUBSET_KS:
                sub_hits[k] += sub_pos < k
    out: dict[str, float | None] = {f"R@{k}": 100.0 * full_hits[k] / len(query) for k in KS}
    out.update({f"Rs@{k}": 100.0 * sub_hits[k] / grouped if grouped else None for k in SUBSET_KS})
    return out


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.standard_normal((n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recall_equals_brute_force_oracle(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_gallery, n_query, dim = 120, 90, 16
    gallery = _unit(rng, n_gallery, dim)
    target = rng.integers(0, n_gallery, n_query).tolist()
    reference = [int(rng.integers(0, n_gallery)) if rng.random() < 0.8 else -1 for _ in range(n_query)]
    reference = [r if r != t else -1 for r, t in zip(reference, target, strict=True)]
    # queries near their target so every K sees hits and misses
    query = _unit(rng, n_query, dim) * 0.7 + gallery[target] * rng.uniform(0, 1.5, (n_query, 1))
    query /= np.linalg.norm(query, axis=1, keepdims=True)
    groups = []
    for i in range(n_query):
        if rng.random() < 0.3:
            groups.append([])  # no group: left out of Rs@K
            continue
        others = [int(j) for j in rng.choice(n_gallery, 7, replace=False) if j != target[i]]
        groups.append([target[i], *others[:5], *([reference[i]] if reference[i] >= 0 else [])])
    q = Queries(torch.tensor(target), torch.tensor(reference), members_tensor(groups))
    full, sub = target_ranks(torch.from_numpy(query), torch.from_numpy(gallery), q, block=32)
    got = recall_table(full, sub)
    want = _oracle(query, gallery, target, reference, groups)
    for key, value in want.items():
        assert got[key] == value, (key, got[key], value)
    assert got["queries"] == n_query and got["subset_queries"] == sum(1 for g in groups if g)
    assert 0 < got["R@1"] < got["R@10"] < 100  # the case is not degenerate


def test_reference_is_removed_from_its_ranking() -> None:
    gallery = torch.eye(3, dtype=torch.float64)
    query = torch.tensor([[1.0, 0.5, 0.0]], dtype=torch.float64)  # the reference (0) scores highest
    kept, _ = target_ranks(query, gallery, Queries(torch.tensor([1]), torch.tensor([-1])))
    removed, _ = target_ranks(query, gallery, Queries(torch.tensor([1]), torch.tensor([0])))
    assert int(kept[0]) == 1 and int(removed[0]) == 0


def test_no_groups_gives_no_subset_recall() -> None:
    table = recall_table(torch.tensor([0, 3, 60]), torch.tensor([-1, -1, -1]))
    assert table["Rs@1"] is None and table["subset_queries"] == 0
    assert table["R@1"] == pytest.approx(100 / 3) and table["R@50"] == pytest.approx(200 / 3)
    assert members_tensor([[], []]) is None
