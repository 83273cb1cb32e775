"""The core must stay free of Textual so it can run and be tested headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "tui" / "core"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_sources_do_not_import_textual():
    files = sorted(CORE.rglob("*.py"))
    assert files, "no core modules found"
    offenders = {
        str(f.relative_to(CORE)): sorted(m for m in _imported_modules(f) if m.split(".")[0] == "textual")
        for f in files
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"tui/core imports Textual: {offenders}"


def test_importing_every_core_module_leaves_textual_unloaded():
    modules = [
        "tui.core." + ".".join(p.relative_to(CORE).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted(CORE.rglob("*.py"))
        if p.relative_to(CORE) != Path("__init__.py")
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
