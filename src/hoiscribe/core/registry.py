"""One registry type for every kind of named thing (engines, tasks, readers, exporters, tools, executors).

Entries name their target as ``"package.module:attribute"`` and are imported on first use, so
looking up ``grounded`` never imports torch. Each entry declares the pip extra that provides its
optional dependencies once; a missing dependency becomes one error that names that extra.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class CatalogError(ValueError):
    """An unknown name or a missing optional dependency."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One named target: where it lives, which extra it needs, one line of help."""

    name: str
    target: str  # "package.module:attribute"
    extra: str | None = None
    help: str = ""

    @property
    def module(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def attribute(self) -> str:
        return self.target.split(":", 1)[1]


def load_target(target: str, what: str, extra: str | None = None, error: type[Exception] = CatalogError) -> Any:
    """Import ``module:attribute``; a missing third-party package names the extra to install."""
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise error(f"{what}: expected 'package.module:Name', got {target!r}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == module_name.split(".")[0]:
            raise error(f"{what} is not available: no module {exc.name!r}") from exc
        hint = f" Install it with: pip install 'hoiscribe[{extra}]'" if extra else ""
        raise error(f"{what} needs the package {exc.name!r}.{hint}") from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise error(f"{what}: {module_name} has no attribute {attr!r}") from None


class Registry(Generic[T]):
    """Names -> lazily imported targets of one kind.

    ``error`` is the exception type this kind's callers already handle (``EngineError`` for
    engines, ``DatasetError`` for readers, ...); ``plugins`` admits ``module:Name`` names that
    are not registered (a user's own engine class).
    """

    def __init__(self, kind: str, error: type[Exception] = CatalogError, plugins: bool = False) -> None:
        self.kind = kind
        self.error = error
        self.plugins = plugins
        self._entries: dict[str, Entry] = {}
        self._loaded: dict[str, T] = {}

    def add(self, name: str, target: str, extra: str | None = None, help: str = "") -> None:
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = Entry(name, target, extra, help)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def names(self) -> list[str]:
        return list(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def entry(self, name: str) -> Entry:
        if name not in self._entries:
            raise self.error(self.unknown_message(name))
        return self._entries[name]

    def unknown_message(self, name: str) -> str:
        more = " or package.module:Name" if self.plugins else ""
        return f"unknown {self.kind} {name!r}; choose one of {', '.join(self._entries)}{more}"

    def get(self, name: str) -> T:
        """The target behind ``name`` (imported once), or a plug-in given as ``module:Name``."""
        if name in self._loaded:
            return self._loaded[name]
        if name in self._entries:
            e = self._entries[name]
            value = load_target(e.target, f"{self.kind} {name!r}", e.extra, self.error)
        elif self.plugins and ":" in name:
            value = load_target(name, f"{self.kind} {name!r}", None, self.error)
        else:
            raise self.error(self.unknown_message(name))
        self._loaded[name] = value
        return value

    @contextmanager
    def overridden(self, name: str, value: T) -> Iterator[T]:
        """Answer ``name`` with an already-built ``value`` inside the block (tests, embedding apps)."""
        missing = object()
        previous = self._loaded.get(name, missing)
        self._loaded[name] = value
        try:
            yield value
        finally:
            if previous is missing:
                self._loaded.pop(name, None)
            else:
                self._loaded[name] = previous  # type: ignore[assignment]
