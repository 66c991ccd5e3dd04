"""Where a record's image lives, computed from the run's manifest (rows do not carry the path).

Never raises: a config that no longer validates, an unknown dataset or an unsafe file name
simply yields no path, and the gallery draws a placeholder instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hoiscribe.datasets.base import safe_join
from hoiscribe.run.rundir import Manifest

# dataset -> (folder under the data root, default split)
_IMAGE_DIRS: dict[str, tuple[str, str]] = {
    "hico": ("Images/images", "train2015"),
    "demo": ("Images/images", "train2015"),
    "coco": ("", "train2017"),
}


def _data_roots(run_dir: Path, manifest: Manifest) -> list[Path]:
    """The configured data root, plus the run's own ``demo-data`` (the run dir may have moved since)."""
    roots: list[Path] = []
    config = manifest.config
    try:
        from hoiscribe.run.config import PipelineConfig

        roots.append(PipelineConfig.model_validate(config).resolved_data_root())
    except Exception:  # an old or foreign manifest must not stop the report
        if config.get("data_root"):
            roots.append(Path(config["data_root"]))
    if (config.get("dataset") or manifest.dataset) == "demo" and not config.get("data_root"):
        roots.append(run_dir / "demo-data")
    return roots


def image_resolver(run_dir: Path, manifest: Manifest) -> Callable[[dict[str, Any]], Path | None]:
    """A function from a seed record to its image file, or None when it cannot be found."""
    config = manifest.config
    dataset = config.get("dataset") or manifest.dataset
    split = config.get("split") or manifest.split
    folders: list[Path] = []
    if dataset in _IMAGE_DIRS:
        sub, default_split = _IMAGE_DIRS[dataset]
        for root in _data_roots(Path(run_dir), manifest):
            folders.append(root / sub / (split or default_split) if sub else root / (split or default_split))

    def is_file(path: Path) -> bool:  # a name too long for the filesystem is no image, not a crash
        try:
            return path.is_file()
        except (OSError, ValueError):
            return False

    def resolve(record: dict[str, Any]) -> Path | None:
        given = record.get("image_path")
        if isinstance(given, str) and given and is_file(Path(given)):
            return Path(given)
        name = record.get("file_name")
        if not isinstance(name, str):
            return None
        for folder in folders:
            try:
                path = safe_join(folder, name)
            except ValueError:
                return None
            if is_file(path):
                return path
        return None

    return resolve


def file_resolver(run_dir: Path, manifest: Manifest) -> Callable[[str], Path | None]:
    """A function from a path relative to the run's data root (what task views name) to the file.

    Tried under: the configured data root (its folder when the root is a file, as for an
    annotation file), the reader's ``image_root`` option, and the run's own
    ``<dataset>-data`` folder of a self-drawn demo set (the run dir may have moved since).
    """
    from hoiscribe.catalog import SELF_GENERATED

    config = manifest.config
    dataset = config.get("dataset") or manifest.dataset
    roots: list[Path] = []
    for root in _data_roots(Path(run_dir), manifest):
        roots.append(root.parent if root.is_file() else root)
    reader = config.get("reader")
    if isinstance(reader, dict) and isinstance(reader.get("image_root"), str):
        roots.append(Path(reader["image_root"]))
    if dataset in SELF_GENERATED and not config.get("data_root"):
        roots.append(Path(run_dir) / f"{str(dataset).replace('_', '-')}-data")

    def resolve(name: str) -> Path | None:
        for root in dict.fromkeys(roots):
            try:
                path = safe_join(root, name)
            except ValueError:
                return None
            if path.is_file():
                return path
        return None

    return resolve
