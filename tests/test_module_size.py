"""No module under src/hoiscribe is longer than 400 lines unless its docstring says why.

A module over the limit passes only when its module docstring has a line starting with
"Long because" (the reason). Split along the module's sections otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hoiscribe

SRC = Path(hoiscribe.__file__).parent
MAX_LINES = 400
REASON_MARK = "Long because"


def line_count(text: str) -> int:
    return len(text.splitlines())


def has_reason(text: str) -> bool:
    """Whether the module docstring has a line starting with ``REASON_MARK``."""
    doc = ast.get_docstring(ast.parse(text)) or ""
    return any(line.strip().startswith(REASON_MARK) for line in doc.splitlines())


def too_long(path: Path) -> int | None:
    """The module's line count when it is over the limit without a stated reason, else None."""
    text = path.read_text(encoding="utf-8")
    n = line_count(text)
    return n if n > MAX_LINES and not has_reason(text) else None


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_modules_are_at_most_400_lines_or_say_why() -> None:
    offenders = {}
    for path in _modules():
        rel = path.relative_to(SRC).as_posix()
        n = too_long(path)
        if n is not None:
            offenders[rel] = n
    listing = "\n".join(f"  src/hoiscribe/{rel}: {n} lines" for rel, n in sorted(offenders.items()))
    assert not offenders, (
        f"{len(offenders)} module(s) over {MAX_LINES} lines without a reason in the module docstring:\n"
        f"{listing}\n"
        f"Split each along its sections, or add a docstring line starting with {REASON_MARK!r}."
    )


def test_reason_is_read_from_the_module_docstring_only() -> None:
    body = "x = 1\n" * (MAX_LINES + 1)
    assert has_reason(f'"""Tables.\n\nLong because the tables are one unit.\n"""\n{body}')
    assert not has_reason(f'"""Tables."""\n# Long because of tables\n{body}')
    assert not has_reason(f'"""Tables, Long because of them."""\n{body}')
