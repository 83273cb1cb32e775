"""No module of the package over 700 lines (issue 13): a room a newcomer can read through.

A module that grows past the limit is split by responsibility, as
session.py (session, records, re-anchoring) and cli.py (parsing, output,
printed views) were; the README's Architecture section says which room
holds what.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui"
MAX_LINES = 700


def test_no_module_of_the_package_is_over_700_lines():
    sizes = {
        str(path.relative_to(PACKAGE.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert sizes, "no modules found"
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert over == {}, f"split these by responsibility (limit {MAX_LINES} lines): {over}"
