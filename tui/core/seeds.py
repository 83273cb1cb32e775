"""Where the bundled sample articles live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path


def seeds_dir() -> Path:
    """Return the folder holding the bundled seed articles.

    A wheel carries them as ``tui/seeds`` (see ``pyproject.toml``); a source
    checkout or editable install has them at the repository root.
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    raise FileNotFoundError("the bundled seed articles are missing from this installation")
