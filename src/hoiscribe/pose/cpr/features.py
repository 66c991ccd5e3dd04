"""Image features computed once per image (and per flipped image) and kept on disk.

The image encoder is frozen in both stages, so an image's feature never changes for a given
backbone and preprocessing; the cache file is named by ``backbone.image_fingerprint`` and
holds one float32 row per key (an image name, or the name with ``items.FLIP``). Extraction
is batched; an image that cannot be read is reported back (and the items using it are
dropped by the caller) instead of stopping the run. Files are written whole (temporary file,
then rename), so a kill during extraction leaves the previous cache intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoiscribe.pose.cpr.backbone import load_image
from hoiscribe.pose.cpr.items import base_name, is_flipped


@dataclass
class FeatureTable:
    """Key -> row of ``matrix`` (a float32 tensor, unnormalised CLIP features)."""

    index: dict[str, int]
    matrix: Any

    def rows(self, keys: list[str]) -> Any:
        import torch

        return self.matrix[torch.tensor([self.index[k] for k in keys], dtype=torch.long)]


class FeatureCache:
    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.path = Path(folder) / f"images-{fingerprint}.safetensors"

    def load(self) -> FeatureTable | None:
        if not self.path.is_file():
            return None
        from safetensors import safe_open

        with safe_open(str(self.path), framework="pt") as f:
            names = json.loads(f.metadata()["names"])
            matrix = f.get_tensor("features")
        return FeatureTable({n: i for i, n in enumerate(names)}, matrix)

    def save(self, table: FeatureTable) -> None:
        from safetensors.torch import save_file

        names = sorted(table.index, key=table.index.__getitem__)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        save_file({"features": table.matrix.contiguous()}, str(tmp), metadata={"names": json.dumps(names)})
        tmp.replace(self.path)

    def ensure(
        self,
        keys: list[str],
        image_path: Callable[[str], Path],
        backbone: Any,
        batch_size: int = 64,
        square_pad: bool = True,
        progress: bool = False,
    ) -> tuple[FeatureTable, dict[str, str]]:
        """The table holding every key, computing only the missing ones; plus ``{key: why}`` for failures."""
        import torch

        table = self.load() or FeatureTable({}, torch.zeros((0, backbone.dim)))
        todo = [k for k in dict.fromkeys(keys) if k not in table.index]
        failed: dict[str, str] = {}
        if not todo:
            return table, failed
        rows, names = [], []
        bar = _bar(len(todo), progress)
        for start in range(0, len(todo), batch_size):
            images, batch = [], []
            for key in todo[start : start + batch_size]:
                try:
                    images.append(load_image(image_path(base_name(key)), is_flipped(key), square_pad))
                    batch.append(key)
                except (OSError, ValueError) as exc:
                    failed[key] = f"cannot read image: {exc}"
            if images:
                rows.append(backbone.encode_images(images).cpu())
                names += batch
            if bar is not None:
                bar.update(min(batch_size, len(todo) - start))
        if bar is not None:
            bar.close()
        if rows:
            base = len(table.index)
            table = FeatureTable(
                {**table.index, **{n: base + i for i, n in enumerate(names)}}, torch.cat([table.matrix, *rows])
            )
            self.save(table)
        return table, failed


def _bar(total: int, on: bool) -> Any:
    if not on:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="image features", unit="img")
