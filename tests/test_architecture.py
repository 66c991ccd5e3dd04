"""The package layers stay one-way (docs/architecture.md), and the catalog resolves.

Every ``import`` of a hoiscribe module, at module level or inside a function, is an edge;
imports under ``if TYPE_CHECKING:`` are annotations only and do not count.
"""

from __future__ import annotations

import ast
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import hoiscribe
from hoiscribe import catalog
from hoiscribe.core.registry import Registry

SRC = Path(hoiscribe.__file__).parent
FEATURES = {"hoi_text", "pose", "expressions", "agent"}
_BELOW_FEATURES = {"catalog", "tasks", "engines", "tools", "eval", "datasets", "geometry", "core", "vocab"}
_ALL = {"vocab", "core", "geometry", "datasets", "engines", "eval", "tools", "catalog", "tasks", "run", "report",
        "testing", "cli", *FEATURES}  # fmt: skip

# package -> the packages it may import. Layers: cli -> run -> features -> {tasks, engines, tools, eval}
# -> datasets -> {geometry, core, vocab}. The catalog holds names only (strings imported on first
# use), so the layers that build things by name (run, features, the grounded engine in tasks) may
# use it, and it imports nothing but the error types of engines and datasets.
ALLOWED: dict[str, set[str]] = {
    "vocab": set(),
    "core": {"vocab"},
    "geometry": {"core", "vocab"},
    "datasets": {"geometry", "core", "vocab"},
    "engines": {"core"},
    "eval": {"core", "vocab"},
    "tools": {"engines", "datasets", "geometry", "core", "vocab"},
    "catalog": {"engines", "datasets", "core"},
    "tasks": {"catalog", "engines", "core", "vocab"},
    **{f: _BELOW_FEATURES for f in FEATURES},  # features never import each other
    "run": {"catalog", "tasks", "engines", "datasets", "geometry", "core", "vocab"},
    "report": {"run", *FEATURES, *_BELOW_FEATURES},
    "testing": _ALL - {"cli"},
    "cli": _ALL,
    "_root": {"cli"},  # hoiscribe/__init__.py, __main__.py
}

# catalog kind -> packages its entries may live in
CATALOG_HOMES: dict[str, set[str]] = {
    "ENGINES": {"engines", "tasks", *FEATURES},
    "TASKS": FEATURES,
    "READERS": {"datasets", *FEATURES},
    "EXPORTS": {"run", *FEATURES},
    "TOOLS": {"tools"},
    "EXECUTORS": {"run"},
    "REPORT_VIEWS": FEATURES,
}


@dataclass(frozen=True)
class Edge:
    file: str
    line: int
    source: str
    target: str
    module: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.source} -> {self.target} ({self.module})"


def _package(parts: tuple[str, ...]) -> str:
    if len(parts) == 1:
        return "catalog" if parts[0] == "catalog.py" else "_root"
    return parts[0]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def import_edges(src: Path) -> list[Edge]:
    """Every cross-package hoiscribe import under ``src`` (the package folder)."""
    edges: list[Edge] = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        source = _package(rel.parts)
        tree = ast.parse(path.read_text(), str(path))
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
                if node.module == "hoiscribe":
                    modules = [f"hoiscribe.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] != "hoiscribe" or len(parts) < 2:
                    continue
                target = parts[1]
                if target != source:
                    edges.append(Edge(str(rel), node.lineno, source, target, module))
    return edges


def violations(src: Path) -> list[Edge]:
    return [e for e in import_edges(src) if e.target not in ALLOWED.get(e.source, set())]


def test_dependencies_point_one_way() -> None:
    bad = violations(SRC)
    assert not bad, "imports against the layer rule (docs/architecture.md):\n" + "\n".join(map(str, bad))


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert packages - set(ALLOWED) == set(), "give each new package its row in ALLOWED"


def _copy_sources(tmp_path: Path) -> Path:
    dst = tmp_path / "hoiscribe"
    for path in SRC.rglob("*.py"):
        target = dst / path.relative_to(SRC)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dst


@pytest.mark.parametrize(
    ("file", "planted", "edge"),
    [
        ("core/records.py", "def _late():\n    from hoiscribe.run.pipeline import run_pipeline\n", ("core", "run")),
        ("pose/checker.py", "from hoiscribe.hoi_text.checker import check_text\n", ("pose", "hoi_text")),
        ("engines/base.py", "import hoiscribe.catalog\n", ("engines", "catalog")),
        ("datasets/hico.py", "from hoiscribe.tools.base import Tool\n", ("datasets", "tools")),
    ],
)
def test_a_planted_back_edge_is_caught(tmp_path: Path, file: str, planted: str, edge: tuple[str, str]) -> None:
    src = _copy_sources(tmp_path)
    assert violations(src) == []
    path = src / file
    path.write_text(path.read_text() + "\n\n" + planted)
    found = [(e.source, e.target) for e in violations(src)]
    assert found == [edge]


def test_type_checking_imports_are_not_edges(tmp_path: Path) -> None:
    src = _copy_sources(tmp_path)
    path = src / "pose" / "autocompose.py"
    path.write_text(path.read_text() + "\nif TYPE_CHECKING:\n    from hoiscribe.hoi_text.checker import check_text\n")
    assert violations(src) == []


@pytest.mark.parametrize("kind", sorted(CATALOG_HOMES))
def test_catalog_entries_resolve_and_live_where_their_kind_belongs(kind: str) -> None:
    registry: Registry = getattr(catalog, kind)
    assert registry.names(), f"{kind} is empty"
    for entry in registry.entries():
        home = entry.module.split(".")[1]
        assert home in CATALOG_HOMES[kind], f"{kind} {entry.name!r} lives in {home}/"
        assert registry.get(entry.name) is not None


def test_a_missing_dependency_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "needs_gpu_stack.py").write_text("import not_installed_package_xyz\nThing = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry: Registry = Registry("engine")
    registry.add("fancy", "needs_gpu_stack:Thing", extra="hf")
    with pytest.raises(
        ValueError, match=r"needs the package 'not_installed_package_xyz'.*pip install 'hoiscribe\[hf\]'"
    ):
        registry.get("fancy")
    sys.modules.pop("needs_gpu_stack", None)


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown task 'nope'; choose one of describe, refine, examine"):
        catalog.get_task("nope")
    with pytest.raises(Exception, match=r"unknown engine 'nope'.*or package\.module:Name"):
        catalog.engine_class("nope")
