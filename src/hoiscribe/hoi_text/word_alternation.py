"""A fast stand-in for ``re.compile(r"\\b(n1|n2|...)\\b")`` over hundreds of names, longest first.

Why: the object and near-miss surfaces are ~700 names; Python's regex engine tries each branch
of such an alternation at every position, so a ``finditer`` over a sentence or a ``match`` per
token of a clause costs more than the rest of the clause's reading. Every name here starts and
ends with a word character, so a match starts where a run of ``\\w`` starts, and its first run
of word characters is that whole run: names are looked up by that run (a dict), longest first,
and the first that is a prefix with a word boundary after it wins, as the regex's first
successful branch does. Only the calls the checker makes are offered (``match``, ``search``,
``finditer``, ``fullmatch`` without ``pos``), each with the regex's exact result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_RUN = re.compile(r"\w+")
_WORD = re.compile(r"\w")


class Hit:
    """The part of ``re.Match`` the checker reads: ``group(0)``/``group(1)``, ``start``, ``end``."""

    __slots__ = ("_end", "_name", "_start")

    def __init__(self, name: str, start: int, end: int) -> None:
        self._name, self._start, self._end = name, start, end

    def group(self, index: int = 0) -> str:
        if index not in (0, 1):
            raise IndexError("no such group")
        return self._name

    def start(self, index: int = 0) -> int:
        return self._start

    def end(self, index: int = 0) -> int:
        return self._end

    def span(self, index: int = 0) -> tuple[int, int]:
        return self._start, self._end

    def __bool__(self) -> bool:
        return True


class WordAlternation:
    """``\\b(names...)\\b`` with the names tried longest first (ties: the given order)."""

    def __init__(self, names: Iterable[str]) -> None:
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = r"\b(" + "|".join(re.escape(n) for n in ordered) + r")\b"
        self._by_run: dict[str, list[str]] = {}
        for name in ordered:
            head = _RUN.match(name)
            if head is None or not _WORD.match(name[-1]):
                raise ValueError(f"a name must start and end with a word character: {name!r}")
            self._by_run.setdefault(head.group(), []).append(name)

    def _at(self, s: str, start: int, run: str) -> Hit | None:
        """The name that matches at ``start`` (the start of the ``\\w`` run ``run``), if any."""
        names = self._by_run.get(run)
        if names is None:
            return None
        n = len(s)
        for name in names:
            end = start + len(name)
            if s.startswith(name, start) and (end == n or not _WORD.match(s, end)):
                return Hit(name, start, end)
        return None

    def match(self, s: str) -> Hit | None:
        m = _RUN.match(s)
        return self._at(s, 0, m.group()) if m is not None else None

    def fullmatch(self, s: str) -> Hit | None:
        hit = self.match(s)
        return hit if hit is not None and hit.end() == len(s) else None

    def finditer(self, s: str) -> Iterator[Hit]:
        by_run, last = self._by_run, 0
        for m in _RUN.finditer(s):
            if m.start() < last:
                continue
            run = m.group()
            if run in by_run and (hit := self._at(s, m.start(), run)) is not None:
                last = hit.end()
                yield hit

    def search(self, s: str) -> Hit | None:
        return next(self.finditer(s), None)
