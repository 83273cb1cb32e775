"""The user's configuration file: keymap, theme, default threshold and min-share.

What is pinned here: the file is found where the docs say (and the test
override works), a good file changes what it says it changes (a key in the
reader, the theme, the defaults of every command), flags and sessions still
outrank it, and a bad file -- in any of the ways a hand-edited file goes bad
-- gives one notice and the built-in defaults, never a traceback.
"""

from __future__ import annotations

import asyncio
import string
import sys
from pathlib import Path

import pytest
from appkit import loaded

from tui import cli
from tui.app.app import ParallaxApp
from tui.app.keytable import BINDING_IDS
from tui.core.config import THEMES, Config, config_dir, config_path, load_config
from tui.core.model import AlignSettings
from tui.core.seeds import seeds_dir


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PARALLAX_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(text: str | bytes) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ where it lives


def test_the_file_lives_in_the_config_dir_the_environment_names(tmp_path, monkeypatch):
    assert config_path() == tmp_path / "config" / "config.toml"
    monkeypatch.delenv("PARALLAX_CONFIG_DIR")
    assert config_dir() == tmp_path / "home" / "config"  # beside the sessions of a portable install
    monkeypatch.delenv("PARALLAX_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert config_dir() == tmp_path / "xdg" / "parallax"  # platformdirs honours XDG


def test_no_file_is_no_configuration_and_no_complaint():
    config = load_config(binding_ids=BINDING_IDS)
    assert not config.found and config.problem is None and config.notice is None
    assert config.defaults() == AlignSettings()


# ------------------------------------------------------------------ a good file


GOOD = """\
theme = "textual-light"

[defaults]
threshold = 0.42
min_share = 0.75

[keymap]
next_diff = "ctrl+n"
"parallax.prev_diff" = "ctrl+p, N"
"""


def test_a_good_file_is_read_whole():
    _write(GOOD)
    config = load_config(binding_ids=BINDING_IDS)
    assert config.problem is None and config.found
    assert config.theme == "textual-light"
    assert config.keymap == {"parallax.next_diff": "ctrl+n", "parallax.prev_diff": "ctrl+p,N"}
    assert config.defaults() == AlignSettings(threshold=0.42, min_share=0.75)
    assert config.origin("threshold") == "config file" and config.origin("pivot") == "default"
    assert config.origin("next_diff") == "config file" and config.origin("parallax.quit") == "default"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("theme = 'textual-light'\n[defaults\n", "not valid TOML"),
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("[defaults]\npivot = 2\n", "unknown setting defaults.pivot"),
        ("[defaults]\nthreshold = '0.4'\n", "defaults.threshold must be a number between 0 and 1"),
        ("[defaults]\nmin_share = 1.5\n", "defaults.min_share must be a number between 0 and 1"),
        ("[defaults]\nthreshold = true\n", "defaults.threshold must be a number between 0 and 1"),
        ("[defaults]\nthreshold = nan\n", "defaults.threshold must be a number between 0 and 1"),
        ("defaults = 3\n", "[defaults] must be a table"),
        ("theme = 3\n", "theme must be text"),
        ("theme = 'no-such-theme'\n", "unknown theme 'no-such-theme'"),
        ("[keymap]\nfly = 'f'\n", "unknown binding id keymap.fly"),
        ("[keymap]\nnext_diff = 5\n", "keymap.next_diff must be text"),
        ("[keymap]\nnext_diff = 'ctrl n'\n", "is not a comma-separated list of keys"),
        ("[keymap]\nnext_diff = ''\n", "is not a comma-separated list of keys"),
        ("[keymap]\nnext_diff = 'n,F5'\n", "'F5' is not a key the terminal can send"),
        ("[keymap]\nnext_diff = 'F5'\n", "(key names are lower case: 'f5')"),
        ("[keymap]\nquit = 'ctrl+shft+q'\n", "'ctrl+shft+q' is not a key"),
        ("[keymap]\nquit = 'ctrl+ctrl+q'\n", "'ctrl+ctrl+q' is not a key"),
        ("[keymap]\nquit = 'qq'\n", "'qq' is not a key"),
        ("[keymap]\nquit = 'ctrl+'\n", "'ctrl+' is not a key"),
        (b"theme = '\xff'\n", "not UTF-8"),
    ],
)
def test_a_bad_file_is_ignored_whole_with_one_line_saying_why(text, says):
    path = _write(("[defaults]\nthreshold = 0.42\n" + text) if isinstance(text, str) and text.startswith("[keymap]")
                  else text)
    config = load_config(binding_ids=BINDING_IDS)
    assert config.found and config.problem is not None and says in config.problem
    assert config.keymap == {} and config.settings == {} and config.theme is None
    assert config.defaults() == AlignSettings()
    assert config.notice is not None and "\n" not in config.notice
    assert str(path) in config.notice and config.notice.endswith("using the defaults")


def test_every_key_textual_can_bind_is_a_key_the_config_accepts():
    """The check is plain data (no Textual import on the command line), so pin it to the
    pinned Textual: its named keys, the name it gives every printable ASCII character, and
    every key of the reader's own table pass; a miss would reject a good file whole."""
    from textual.keys import Keys, _character_to_key

    from tui.app.keytable import KEY_TABLE
    from tui.core.config import _is_key

    named = [k.value for k in Keys if not k.value.startswith("<") and k.value != "ctrl-at"]
    characters = [_character_to_key(c) for c in string.printable if not c.isspace()]
    ours = [k for _, entries in KEY_TABLE for entry in entries for k in entry.keys.split(",")]
    assert [k for k in named + characters + ours + ["+", "ä", "ctrl+ä"] if not _is_key(k)] == []
    assert [k for k in ("F5", "Up", "ctrl+shft+q", "åå", "", "latin_small_letter_a") if _is_key(k)] == []


def test_a_folder_where_the_file_should_be_is_a_problem_not_a_crash():
    config_path().mkdir(parents=True)
    assert "folder" in (load_config().problem or "")


def test_many_problems_stay_one_short_line():
    _write("a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n")
    problem = load_config().problem or ""
    assert problem.count("unknown key") == 3 and problem.endswith("and 2 more")


def test_the_theme_list_is_the_pinned_textuals():
    from textual.theme import BUILTIN_THEMES

    assert THEMES == frozenset(BUILTIN_THEMES)


def test_the_key_table_and_the_config_load_without_textual():
    import subprocess

    code = "import sys, tui.app.keytable, tui.core.config, tui.cli; print('textual' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ ranks: flags > session > config > defaults


def test_configured_defaults_reach_export_and_flags_beat_them(capsys):
    _write("[defaults]\nthreshold = 0.9\nmin_share = 0.8\n")
    rows = {}
    for flags in ([], ["--threshold", "0.35"]):
        assert cli.main(["export", "--format", "json", *flags]) == 0
        import json

        document = json.loads(capsys.readouterr().out)
        rows[tuple(flags)] = (document["settings"]["threshold"], document["settings"]["min_share"])
    assert rows[()] == (0.9, 0.8)
    assert rows[("--threshold", "0.35")] == (0.35, 0.8)


def test_a_resumed_session_outranks_the_file_and_a_new_one_starts_from_it(tmp_path):
    from tui.app.keeper import Keeper
    from tui.core.ingest import load_sources
    from tui.core.session import Session
    from tui.core.session_store import SessionStore
    from tui.core.settings import Explicit

    _write("[defaults]\nthreshold = 0.9\nmin_share = 0.8\n")
    configured = load_config().defaults()
    sources = load_sources([seeds_dir()])
    store = SessionStore(tmp_path / "sessions")
    store.save(Session.new("kept", sources, AlignSettings(pivot=2, threshold=0.5, min_share=0.5)))
    resumed = Keeper(store, defaults=configured).open("kept", sources)
    assert resumed.settings == AlignSettings(pivot=2, threshold=0.5, min_share=0.5)
    fresh = Keeper(store, defaults=configured).open("fresh", sources, Explicit.of(threshold=0.4))
    assert fresh.settings == AlignSettings(threshold=0.4, min_share=0.8)


def test_a_bad_file_is_one_warning_line_on_the_command_line(capsys):
    _write("[defaults]\nthreshold = 'high'\n")
    assert cli.main(["export", "--format", "wide"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("parallax: warning: configuration ")
    assert "defaults.threshold must be a number" in err[0]


def test_parallax_config_prints_the_path_and_where_each_value_comes_from(capsys):
    _write("theme = 'nord'\n[defaults]\nthreshold = 0.4\n[keymap]\nquit = 'ctrl+q'\n")
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert str(config_path()) in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip() and not line.startswith(" " * 4)}
    assert "nord" in lines["theme"] and "config file" in lines["theme"]
    assert "0.4" in lines["threshold"] and "config file" in lines["threshold"]
    assert "0.5" in lines["min_share"] and "default" in lines["min_share"]
    assert any("parallax.quit" in line and "ctrl+q" in line and "config file" in line for line in out.splitlines())
    assert any("parallax.next_diff" in line and "default" in line for line in out.splitlines())


def test_parallax_config_notes_a_key_the_keymap_takes_from_another_binding(capsys):
    _write("[keymap]\nfilter = 'j'\n")
    assert cli.main(["config"]) == 0
    assert "note: the keymap gives j to another binding: parallax.row_down no longer has it" in capsys.readouterr().out


def test_parallax_config_on_a_bad_file_says_so_and_shows_the_defaults(capsys):
    _write("[keymap]\nfly = 'f'\n")
    assert cli.main(["config"]) == 0
    captured = capsys.readouterr()
    assert "unknown binding id keymap.fly" in captured.err and captured.err.startswith("parallax: warning:")
    assert "0.35" in captured.out and "Traceback" not in captured.out + captured.err


# ------------------------------------------------------------------ in the reader


def _run_reader(config: Config, body) -> None:
    from tui.core.ingest import load_sources

    app = ParallaxApp(load_sources([seeds_dir()]), config=config)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(app, pilot)
            await body(app, pilot)

    asyncio.run(main())


def test_a_keymap_in_the_config_file_changes_a_key():
    _write("[keymap]\nfilter = 'ctrl+f'\n")  # f cycles the row filter by default
    config = load_config(binding_ids=BINDING_IDS)

    async def body(app, pilot) -> None:
        reader = app.reader
        before = reader.state.filter_name
        await pilot.press("f")
        await pilot.pause()
        assert reader.state.filter_name == before  # f no longer filters
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert reader.state.filter_name != before  # ctrl+f does

    _run_reader(config, body)


def test_the_help_screen_shows_the_keys_as_the_keymap_has_them():
    from test_app import shown_text

    from tui.app.screens.help import HelpScreen

    _write("[keymap]\nfilter = 'ctrl+f'\n")

    async def body(app, pilot) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = shown_text(app.screen.query_one("#help-table")).splitlines()
        filter_line = next(line for line in lines if "filter rows" in line)
        assert "ctrl+f" in filter_line

    _run_reader(load_config(binding_ids=BINDING_IDS), body)


def test_a_keymap_that_takes_a_key_in_use_says_so_once():
    _write("[keymap]\nfilter = 'j'\n")  # j is also "next row"

    async def body(app, pilot) -> None:
        reader = app.reader
        before = reader.state.filter_name
        await pilot.press("j")
        await pilot.press("j")
        await pilot.pause()
        assert reader.state.filter_name != before  # j filters now
        told = [n.message for n in app._notifications if "keymap" in n.message]
        assert len(told) == 1 and "j (was parallax.row_down)" in told[0]

    _run_reader(load_config(binding_ids=BINDING_IDS), body)


def test_the_config_theme_and_defaults_reach_the_reader():
    _write("theme = 'nord'\n[defaults]\nthreshold = 0.6\n")

    async def body(app, pilot) -> None:
        assert app.theme == "nord"
        assert app.reader.state.settings.threshold == 0.6

    _run_reader(load_config(binding_ids=BINDING_IDS), body)


def test_a_broken_config_file_opens_the_reader_with_a_notice(monkeypatch):
    _write("theme = 'nord'\n[keymap\nfilter = 'ctrl+f'\n")  # a bracket missing: not TOML
    seen: dict = {}

    def headless(app: ParallaxApp) -> int:
        async def main() -> None:
            async with app.run_test() as pilot:
                await loaded(app, pilot)
                seen["notices"] = [n.message for n in app._notifications]
                seen["theme"] = app.theme
                seen["settings"] = app.reader.state.settings
                seen["rows"] = len(app.reader.alignment.rows)

        asyncio.run(main())
        return 0

    monkeypatch.setattr(ParallaxApp, "run", headless)
    monkeypatch.setattr(cli, "_has_terminal", lambda: True)
    assert cli.main([str(seeds_dir())]) == 0
    about = [n for n in seen["notices"] if "configuration" in n]
    assert len(about) == 1 and "not valid TOML" in about[0] and "using the defaults" in about[0]
    assert seen["theme"] != "nord" and seen["settings"] == AlignSettings() and seen["rows"] > 0
