"""What the reader looks like, pinned as SVG snapshots (pytest-textual-snapshot).

The app runs on the fixed story from ``appkit.py`` with its fixed diff, so a
snapshot changes only when the view does, never because the aligner or the
comparer was retuned. Regenerate after an intended change with
``pytest tests/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from appkit import loaded, split_story_app, story_app


async def _ready(pilot) -> None:
    await loaded(pilot.app, pilot)


def test_main_view_120x40(snap_compare):
    assert snap_compare(story_app(), terminal_size=(120, 40), run_before=_ready)


def test_main_view_80x24(snap_compare):
    assert snap_compare(story_app(), terminal_size=(80, 24), run_before=_ready)


def test_detail_and_search_80x24(snap_compare):
    async def before(pilot) -> None:
        await loaded(pilot.app, pilot)
        await pilot.press("slash", *"kabul", "escape", "n", "enter")

    assert snap_compare(story_app(), terminal_size=(80, 24), run_before=before)


def test_help_screen(snap_compare):
    async def before(pilot) -> None:
        await loaded(pilot.app, pilot)
        await pilot.press("question_mark")

    assert snap_compare(story_app(), terminal_size=(120, 40), run_before=before)


def test_multi_sentence_cells_120x40(snap_compare):
    """A headline beside its lede (tagged, in italics) and split statements, one cell each."""

    async def before(pilot) -> None:
        await loaded(pilot.app, pilot)
        await pilot.press("enter")

    assert snap_compare(split_story_app(), terminal_size=(120, 40), run_before=before)


def test_cut_chooser_80x24(snap_compare):
    async def before(pilot) -> None:
        await loaded(pilot.app, pilot)
        pilot.app.reader.view.move_to(0)
        await pilot.press("x")

    assert snap_compare(split_story_app(), terminal_size=(80, 24), run_before=before)
