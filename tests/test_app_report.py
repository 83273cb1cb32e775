"""The reader's report key (E): the report of what is on screen, written to the exports folder, path shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from appkit import notes, run, story_app

from tui.app.screens.annotate import AnnotateScreen


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_E_writes_the_report_with_the_sessions_notes_and_fixes_and_says_where(home):
    async def body(app, pilot):
        reader = app.reader
        reader.view.move_to(1)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press(*"<script>alert(1)</script>", "enter", *"check the wire")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("asterisk")
        reader.view.move_to(0)
        await pilot.press("x")  # cut the focused sentence out of row 0: a manual fix
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        message = notes(app)[-1]
        assert message.startswith("report written to ") and message.endswith("-report.md beside it)")

    run(story_app(session="desk"), body)
    folder = home / "exports"
    (md,) = folder.glob("parallax-desk-*-report.md")
    (page,) = folder.glob("parallax-desk-*-report.html")
    assert md.stem == page.stem
    text = md.read_text(encoding="utf-8")
    assert "Session “desk”: 1 annotated row (1 starred), 1 manual fix." in text
    assert "> \\<script\\>alert(1)\\</script\\>\\\n> check the wire" in text
    assert "## Manual fixes to the alignment\n\n- Cut sentence #0 of Wire out of its row" in text
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_E_without_a_session_names_the_story_and_a_failure_is_a_notice(home):
    async def body(app, pilot):
        await pilot.press("E")
        await pilot.pause()
        assert notes(app)[-1].startswith("report written to ")
        (home / "exports").rename(home / "moved")
        (home / "exports").write_text("a file where the folder should be", encoding="utf-8")
        await pilot.press("E")
        await pilot.pause()
        assert notes(app)[-1].startswith("could not write the report: ")

    run(story_app(), body)
    (md,) = (home / "moved").glob("parallax-*-report.md")
    text = md.read_text(encoding="utf-8")
    assert "Session" not in text.split("## ", 1)[0]  # no session: no session line in the summary
    assert "Where the outlets disagree" in text
