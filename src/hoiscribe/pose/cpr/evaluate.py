"""Evaluating a retrieval model on a split: R@1/5/10/50 over the gallery, Rs@1/3/5 over img_set groups.

Queries are the split's caption entries whose target is in the gallery (``image_splits``),
one per entry with the first text of ``field`` (or one per text with ``all_texts``); entries
without a text in that field are dropped and counted. Image features come from the feature
cache (computed once per image), text features in batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from hoiscribe.pose.cpr.data import CprSplit, read_cpr_split
from hoiscribe.pose.cpr.features import FeatureCache, FeatureTable
from hoiscribe.pose.cpr.model import RetrievalModel, load_retrieval, normalized, training_config
from hoiscribe.pose.cpr.recall import Queries, members_tensor, recall_table, target_ranks


def gallery_features(model: RetrievalModel, split: CprSplit, names: list[str], cache_dir: Path | None,
                     batch_size: int = 64, progress: bool = False) -> tuple[FeatureTable, dict[str, str]]:  # fmt: skip
    """Features of ``names`` from the cache in ``cache_dir`` (or a throwaway one under the data root's parent)."""
    import tempfile

    if cache_dir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return FeatureCache(Path(tmp), model.fingerprint).ensure(
                names, split.image_path, model.backbone, batch_size, model.square_pad, progress
            )
    cache = FeatureCache(cache_dir, model.fingerprint)
    return cache.ensure(names, split.image_path, model.backbone, batch_size, model.square_pad, progress)


def default_cache(model: str) -> Path | None:
    """A training folder keeps its features; a plain CLIP gets none on disk unless asked."""
    return Path(model) / "features" if training_config(model) is not None else None


def evaluate(
    model: str,
    data_root: Path,
    split: str = "test",
    field: str = "sents",
    all_texts: bool = False,
    backend: str = "transformers",
    device: Any = "cpu",
    cache_dir: Path | None = None,
    batch_size: int = 64,
    progress: bool = False,
) -> dict[str, Any]:
    """The recall table of ``model`` on ``split``, with counts of queries, gallery and drops."""
    retrieval = load_retrieval(model, backend, device)
    data = read_cpr_split(Path(data_root), split, need_gallery=True)
    refs, texts, entries, no_text = [], [], [], 0
    for e in data.entries:
        found = e.field(field)
        if not found:
            no_text += 1
            continue
        for t in found if all_texts else found[:1]:
            refs.append(e.reference)
            texts.append(t)
            entries.append(e)
    if not texts:
        raise ValueError(f"{data_root} split {split}: no entry has a text in field {field!r}")
    names = list(dict.fromkeys([*data.gallery, *refs]))
    cache = cache_dir if cache_dir is not None else default_cache(model)
    table, failed = gallery_features(retrieval, data, names, cache, batch_size, progress)
    gallery = [n for n in data.gallery if n not in failed]
    keep = [i for i, e in enumerate(entries) if e.reference not in failed and e.target not in failed]
    position = {n: i for i, n in enumerate(gallery)}
    query_img = table.rows([refs[i] for i in keep])
    query_txt = retrieval.encode_texts([texts[i] for i in keep], batch_size=max(batch_size, 64))
    query = normalized(retrieval.combine(query_img, query_txt))
    kept = [entries[i] for i in keep]
    q = Queries(
        target=torch.tensor([position[e.target] for e in kept], dtype=torch.long),
        reference=torch.tensor([position.get(e.reference, -1) for e in kept], dtype=torch.long),
        members=members_tensor([_group(e, position) for e in kept]),
    )
    full, sub = target_ranks(query, normalized(table.rows(gallery)), q)
    result = recall_table(full, sub)
    result.update(gallery=len(gallery), split=split, field=field, model=str(model),
                  dropped={"entries": len(data.dropped), "no text in field": no_text,
                           "images unreadable": len(failed)})  # fmt: skip
    if result["subset_queries"] == 0:
        result["note"] = "no img_set groups in the captions: run `hoiscribe cpr img-sets` for Rs@K"
    return result


def _group(entry: Any, position: dict[str, int]) -> list[int]:
    """The entry's group as gallery indices (target included), or [] without a group."""
    if entry.group is None:
        return []
    members = [position[n] for n in dict.fromkeys([entry.target, *entry.group]) if n in position]
    return members
