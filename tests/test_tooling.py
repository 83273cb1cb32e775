"""The linters are part of the suite: ruff on the whole code base, mypy on the core and the command line.

Both read their configuration from pyproject.toml (``[tool.ruff]``,
``[tool.mypy]``), so the command a contributor runs by hand and the one the
suite runs are the same. They come with the ``test`` extra
(``pip install -e '.[test]'``, which .ci/run does); an environment without
them skips these two tests and says why, rather than passing quietly.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed; pip install -e '.[test]' brings it")
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_ruff_finds_nothing_in_the_package_and_the_tests():
    # and the helper scripts beside them, where the checkout has them (an sdist does not)
    paths = ["tui", "tests", *(["scripts"] if (ROOT / "scripts").is_dir() else [])]
    done = _run_tool("ruff", "check", *paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_errors_in_the_core_and_the_command_line():
    done = _run_tool("mypy")  # its cache (.mypy_cache) makes a second run quick
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
