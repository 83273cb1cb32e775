"""Render the README's screenshots by driving the reader on the bundled seeds.

Run from the repository root: ``.venv/bin/python scripts/screenshots.py``.
Writes screenshots/main.svg, detail.svg, coverage.svg, omissions.svg and help.svg at 120×40,
so the pictures always show the app as it is now.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"


async def _wait_loaded(app, pilot) -> None:
    for _ in range(500):
        if app.reader.alignment is not None:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def shoot() -> list[Path]:
    from tui.app.app import ParallaxApp
    from tui.core.pipeline import load

    sources = load(None)
    written: list[Path] = []

    async def one(name: str, keys: list[str]) -> None:
        app = ParallaxApp(sources)
        async with app.run_test(size=(120, 40)) as pilot:
            await _wait_loaded(app, pilot)
            row = _telling_row(app)
            if row is not None:
                app.reader.view.move_to(row)
                app.reader.view.scroll_to(y=max(0, app.reader.view.row_span(row)[0] - 1), animate=False, immediate=True)
                await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause(0.1)
            app.clear_notifications()
            await pilot.pause()
            path = OUT / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(OUT))
            written.append(path)

    OUT.mkdir(exist_ok=True)
    await one("main", [])
    await one("detail", ["enter"])
    await one("coverage", ["i", "l", "l", "o"])
    await one("omissions", ["l", "l", "O"])
    await one("help", ["question_mark"])
    return written


def _telling_row(app) -> int | None:
    """A row worth showing first: every outlet has it and they disagree on something."""
    reader = app.reader
    alignment = reader.alignment
    n = len(alignment.sources)
    best = None
    for row, r in enumerate(alignment.rows):
        diff = reader.view.diff(row)
        if r.count == n and diff is not None and diff.flags:
            return row
        if best is None and r.count == n:
            best = row
    return best


def main() -> int:
    sys.path.insert(0, str(ROOT))
    for path in asyncio.run(shoot()):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
