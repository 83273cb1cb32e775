"""``e`` in the reader (issue 15 item 7): into the exports folder, or where the reader types; the notice says where."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from appkit import notes, run, story_app

from tui.app.screens.annotate import NameScreen
from tui.app.screens.saving import export_target


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "data"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


def test_e_offers_a_new_file_in_the_exports_folder_and_says_where_it_wrote(home):
    async def body(app, pilot):
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        offered = app.screen.query_one("#name-input").value
        assert offered.startswith(str(home / "data" / "exports" / "parallax-")) and offered.endswith(".csv")
        await pilot.press("enter")
        await pilot.pause()
        (path,) = (home / "data" / "exports").glob("parallax-*.csv")
        assert str(path) == offered
        assert notes(app)[-1].endswith(f"to {path}")
        lines = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        assert lines and all(line["row_id"] for line in lines)

    run(story_app(), body)
    assert not list((home / "work").iterdir())  # the folder the reader was started in stays clean


async def _type(pilot, app, text: str) -> None:
    box = app.screen.query_one("#name-input")
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


def test_e_writes_to_a_file_or_a_folder_the_reader_types(home):
    (home / "out").mkdir()

    async def body(app, pilot):
        await pilot.press("e")
        await _type(pilot, app, str(home / "out" / "mine"))
        assert (home / "out" / "mine.csv").is_file()
        assert notes(app)[-1].endswith(f"to {home / 'out' / 'mine.csv'}")
        await pilot.press("e")
        await _type(pilot, app, str(home / "out"))
        written = sorted(p.name for p in (home / "out").iterdir())
        assert len(written) == 2 and written[0] == "mine.csv" and written[1].startswith("parallax-")

    run(story_app(), body)


def test_a_taken_name_or_a_missing_folder_is_refused_in_the_dialog(home):
    (home / "taken.csv").write_text("keep me", encoding="utf-8")

    async def body(app, pilot):
        await pilot.press("e")
        await _type(pilot, app, str(home / "taken.csv"))
        assert isinstance(app.screen, NameScreen)  # still asking
        assert "exists" in str(app.screen.query_one("#name-error").render())
        await _type(pilot, app, str(home / "nowhere" / "x.csv"))
        assert "no folder" in str(app.screen.query_one("#name-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)

    run(story_app(), body)
    assert (home / "taken.csv").read_text(encoding="utf-8") == "keep me"
    assert not (home / "nowhere").exists()


def test_export_target_reads_what_was_typed(tmp_path):
    folder = tmp_path / "exports"
    assert export_target("", folder, "n") == ((folder, "n", ".csv"), None)
    assert export_target(str(tmp_path) + "/", folder, "n") == ((tmp_path, "n", ".csv"), None)
    assert export_target(str(tmp_path / "a.tsv"), folder, "n") == ((tmp_path, "a", ".tsv"), None)
    assert export_target("~", folder, "n")[0] == (Path.home(), "n", ".csv")
    assert export_target("bad\0name", folder, "n")[0] is None
