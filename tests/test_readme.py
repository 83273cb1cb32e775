"""The README's quick start: two commands that make and use a virtual environment, the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_the_quick_start_makes_and_activates_a_virtual_environment_in_each_command():
    commands = quick_start()
    assert commands == [
        VENV + "pip install . && parallax",
        VENV + "pip install '.[test]' && python -m pytest",
    ]


def test_ci_runs_the_readmes_test_command_as_its_last_line():
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    test_command = quick_start()[1]
    assert test_command.startswith(VENV)
    assert ci[-1] == test_command[len(VENV):]  # .ci/run makes its own environment first
    assert any("python3 -m venv" in line for line in ci)


def test_the_quick_start_says_where_sessions_live_and_how_to_move_them():
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "~/.local/share/parallax/sessions" in text and "PARALLAX_HOME" in text and "move" in text
