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


# ------------------------------------------------------------------ no silent import guards

PACKAGE = CORE.parent
TESTS = Path(__file__).resolve().parent
_CATCH_IMPORTS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _guarded_internal_imports(path: Path) -> list[str]:
    """``try: import tui... except ImportError`` (or broader) in ``path``: lines that hide a missing module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught: set[str] = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught.update("BaseException" if k is None else getattr(k, "id", getattr(k, "attr", "")) for k in kinds)
        if not caught & _CATCH_IMPORTS:
            continue
        for stmt in node.body:
            for inner in ast.walk(stmt):
                names = []
                if isinstance(inner, ast.Import):
                    names = [alias.name for alias in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    names = [inner.module]
                elif isinstance(inner, ast.ImportFrom) and inner.level > 0:
                    names = ["tui (relative)"]
                if any(n == "tui" or n.startswith("tui") for n in names):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
    return found


def test_internal_modules_are_imported_plainly():
    """A missing or broken module of Parallax is a bug to see, never a feature quietly switched off.

    Only optional third-party extras (Dask) may be guarded, with a message
    saying how to install them.
    """
    offenders = [hit for f in sorted(PACKAGE.rglob("*.py")) for hit in _guarded_internal_imports(f)]
    assert offenders == []


def test_tests_do_not_skip_on_a_missing_internal_module():
    needle = "importorskip(" + '"tui'  # split, or this very line would match
    offenders = [
        f"{f.name}:{n}"
        for f in sorted(TESTS.rglob("*.py"))
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line.replace("'", '"')
    ]
    assert offenders == []
