"""One query: a reference image and a text, answered with the top-K gallery images of a split.

The reference may be a gallery name or any image file; when it is in the gallery it is left
out of its own ranking, as in evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoiscribe.pose.cpr.backbone import load_image
from hoiscribe.pose.cpr.data import CprDataError, read_cpr_split
from hoiscribe.pose.cpr.evaluate import default_cache, gallery_features
from hoiscribe.pose.cpr.model import load_retrieval, normalized


def predict(model: str, data_root: Path, reference: str, text: str, split: str = "test", top_k: int = 10,
            backend: str = "transformers", device: Any = "cpu",
            cache_dir: Path | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """``[{"image", "score", "rank"}]`` for the best ``top_k`` gallery images."""
    retrieval = load_retrieval(model, backend, device)
    data = read_cpr_split(Path(data_root), split, need_gallery=True, check_images=True)
    table, failed = gallery_features(retrieval, data, data.gallery, cache_dir or default_cache(model))
    gallery = [n for n in data.gallery if n not in failed]
    if reference in table.index:
        ref = table.rows([reference])
    else:
        path = Path(reference) if Path(reference).is_file() else data.image_path(reference)
        if not path.is_file():
            raise CprDataError(f"reference image not found: {reference} (neither a file nor in {data.root / 'images'})")
        ref = retrieval.backbone.encode_images([load_image(path, False, retrieval.square_pad)]).cpu()
    query = normalized(retrieval.combine(ref, retrieval.encode_texts([text])))
    scores = (normalized(table.rows(gallery)) @ query[0]).tolist()
    ranked = sorted((s, n) for n, s in zip(gallery, scores, strict=True) if n != reference)
    ranked.reverse()
    return [{"rank": i + 1, "image": n, "score": round(s, 6)} for i, (s, n) in enumerate(ranked[:top_k])]
