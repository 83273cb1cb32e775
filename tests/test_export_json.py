"""The JSON export: the schema holds, nothing is lost against the long CSV, hostile text stays inert.

The seeds go through the real pipeline and the real command line, so these
tests hold the whole path (align, compare, omissions, session) to what the
schema in ``docs/export.schema.json`` promises a tool.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from exportkit import annotated_session
from tui.cli import main
from tui.core.export import write_long
from tui.core.export_json import document, dumps
from tui.core.model import AlignSettings, Alignment, Annotation, Row, Sentence, Source

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "export.schema.json"
#: Raw characters a terminal acts on: C0 but newline, DEL, C1.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _export(capsys, *argv: str) -> tuple[str, dict]:
    code = main(["export", "--format", "json", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, json.loads(out)


def _long(alignment: Alignment, **kwargs) -> list[dict[str, str]]:
    buf = io.StringIO(newline="")
    write_long(alignment, buf, guard=False, **kwargs)
    return list(csv.DictReader(io.StringIO(buf.getvalue(), newline="")))


def _flatten(doc: dict) -> list[tuple]:
    """The document as the long CSV's lines: (row, file name, sentence, text, start, end, coverage, score, kind).

    The score stays the JSON's number (the CSV writes it to 3 places).
    """
    names = [s["name"] for s in doc["sources"]]
    return [
        (str(row["row"]), names[m["source"]], str(s["index"]), s["text"], str(s["start"]), str(s["end"]),
         str(row["coverage"]), row["score"], s["kind"])
        for row in doc["rows"] for m in row["members"] for s in m["sentences"]
    ]


def _assert_same_lines(doc: dict, want: list[tuple]) -> None:
    """The document holds the long CSV's lines; the score is one number, written to 4
    places in the JSON and 3 in the CSV (0.9245 is "0.924" there: no second rounding)."""
    flat = _flatten(doc)
    assert [f[:7] + f[8:] for f in flat] == [w[:7] + w[8:] for w in want]
    assert all(abs(f[7] - float(w[7])) <= 0.0005 + 1e-9 for f, w in zip(flat, want))


# --------------------------------------------------------------------------- seeds


def test_seeds_export_validates_and_holds_every_sentence_of_the_long_csv(capsys, validator, seeds_alignment):
    _, doc = _export(capsys)
    validator.validate(doc)
    lines = _long(seeds_alignment)
    keys = ("row", "source", "sentence", "text", "start", "end", "coverage", "score", "kind")
    _assert_same_lines(doc, [tuple(d[k] for k in keys) for d in lines])  # same sentences, rows and order
    # every content sentence exactly once
    seen = Counter((m["source"], s["index"]) for row in doc["rows"] for m in row["members"] for s in m["sentences"])
    assert seen == Counter((src.id, s.index) for src in seeds_alignment.sources for s in src.sentences)
    assert len(doc["rows"]) == len(seeds_alignment.rows)
    # a row has flags exactly where the CSV's flags column says something
    flagged = {int(d["row"]) for d in lines if d["flags"]}
    assert flagged and {row["row"] for row in doc["rows"] if row["flags"]} == flagged


def test_seeds_offsets_point_into_the_files(capsys, seeds_alignment):
    _, doc = _export(capsys)
    texts = [s.text for s in seeds_alignment.sources]
    spans = 0
    for row in doc["rows"]:
        for m in row["members"]:
            for s in m["sentences"]:
                assert texts[m["source"]][s["start"]:s["end"]] == s["text"]
        for flag in row["flags"] + row["variants"]:
            assert {r for reading in flag["readings"] for r in reading["sources"]} <= set(row["sources"])
            for span in flag["spans"]:
                assert texts[span["source"]][span["start"]:span["end"]] == span["text"]
                sentence = seeds_alignment.sources[span["source"]].sentences[span["sentence"]]
                assert sentence.start <= span["start"] <= span["end"] <= sentence.end
                spans += 1
    assert spans > 0


def test_seeds_omissions_and_settings(capsys, seeds_alignment):
    from tui.core.omissions import omissions

    _, doc = _export(capsys, "--min-share", "0.6", "--pivot", "2")
    assert doc["settings"]["pivot"] == 2 and doc["settings"]["min_share"] == 0.6
    assert doc["settings"]["widely_reported_needs"] == 3
    assert doc["session"] is None and doc["annotations"] == [] and doc["fixes"] == []
    from tui.core.align import align

    alignment = align(list(seeds_alignment.sources), AlignSettings(pivot=2, min_share=0.6))
    model = omissions(alignment)
    assert [r["left_out_by"] for r in doc["rows"]] == [list(r.left_out_by) for r in model.rows]
    assert [[(e["source"], e["row"]) for e in r["elsewhere"]] for r in doc["rows"]] == [
        list(r.elsewhere) for r in model.rows]
    assert [r["widely_reported"] for r in doc["rows"]] == [r.widely_reported for r in model.rows]
    for src, account in zip(doc["sources"], model.sources):
        assert (src["leaves_out"], src["reports_alone"]) == (list(account.left_out), list(account.unique))
    assert [s["sha256"] for s in doc["sources"]] == [s.sha256 for s in seeds_alignment.sources]
    assert doc["sources"][1]["title"] == seeds_alignment.sources[1].title


def test_export_to_a_file(capsys, tmp_path, validator):
    target = tmp_path / "rows.json"
    assert main(["export", "--format", "json", "-o", str(target)]) == 0
    _, err = capsys.readouterr()
    doc = json.loads(target.read_text(encoding="utf-8"))
    validator.validate(doc)
    assert f"wrote {len(doc['rows'])} rows to" in err


# --------------------------------------------------------------------------- session


def test_session_export_carries_notes_tags_stars_and_the_fix(capsys, tmp_path, monkeypatch, validator,
                                                             seeds_sources):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    made = annotated_session(tmp_path, seeds_sources)
    _, doc = _export(capsys, "--session", made.name)
    validator.validate(doc)
    assert doc["session"] == {"name": made.name}
    # the rows are those the reader showed, fix applied
    assert [(r["row"], r["sources"]) for r in doc["rows"]] == [
        (i, list(row.coverage)) for i, row in enumerate(made.alignment.rows)]
    got = {a["row"]: a for a in doc["annotations"]}
    assert set(got) == set(made.notes)
    for row, annotation in made.notes.items():
        assert got[row]["note"] == annotation.note  # newlines kept: they are data
        assert got[row]["tags"] == list(annotation.tags)
        assert got[row]["starred"] is annotation.starred
    (fix,) = doc["fixes"]
    assert (fix["kind"], fix["source"], fix["sentence"], fix["anchor"]) == ("unlink", *made.cut, None)
    assert fix["row"] == made.cut_row
    assert doc["rows"][made.cut_row]["sources"] == [made.cut[0]]


# --------------------------------------------------------------------------- hostile text


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _hostile() -> Alignment:
    bad = [
        "Officials said \x1b]52;c;SGVsbG8=\x07 the toll was 23 <script>alert(1)</script>.",
        "Officials said [bold red]the toll[/] was 58 \x9b2J and **rising** \u2028 now.",
    ]
    sources = []
    for sid, sentence in enumerate(bad):
        sources.append(Source(id=sid, name=f"{sid}\x1b[2J.txt", label=f"L{sid}\x07", text=sentence + "\n",
                              sentences=(Sentence(sid, 0, sentence, 0, len(sentence)),)))
    return Alignment(tuple(sources), (Row((0, 0), score=0.9),), AlignSettings())


def test_control_characters_are_shown_as_symbols_and_the_file_stays_inert(validator):
    alignment = _hostile()
    notes = {0: Annotation(note="see \x1b[31mthis\x1b[0m\nand that", tags=("\x9bx",), starred=True)}
    doc = document(alignment, annotations=notes)
    validator.validate(doc)
    text = dumps(doc)
    assert not RAW_CONTROL.search(text.replace("\n", ""))
    values = json.loads(text)
    assert not any(RAW_CONTROL.search(v.replace("\n", "")) for v in _strings(values))  # nor does any value
    member = values["rows"][0]["members"][0]["sentences"][0]
    assert "␛]52;c;SGVsbG8=␇" in member["text"]
    assert len(member["text"]) == member["end"] - member["start"]  # one for one: offsets still hold
    assert values["sources"][0]["name"] == "0␛[2J.txt"
    assert values["annotations"][0]["note"] == "see ␛[31mthis␛[0m\nand that"
    assert "<script>alert(1)</script>" in member["text"]  # JSON is data: markup is kept as text, not run
    assert "[bold red]the toll[/]" in values["rows"][0]["members"][1]["sentences"][0]["text"]


def test_no_guard_keeps_values_verbatim_but_escaped_in_the_file():
    alignment = _hostile()
    text = dumps(document(alignment, guard=False))
    assert not RAW_CONTROL.search(text.replace("\n", ""))  # \u001b, \u009b in the file, not raw bytes
    assert "\\u009b" in text and "\\u001b" in text and "\\u2028" in text
    values = json.loads(text)
    assert values["settings"]["guard"] is False
    assert values["rows"][0]["members"][0]["sentences"][0]["text"] == alignment.sources[0].sentences[0].text
    assert values["rows"][0]["members"][1]["sentences"][0]["text"] == alignment.sources[1].sentences[0].text
    assert values["sources"][0]["name"] == alignment.sources[0].name


def test_no_guard_on_the_command_line(capsys, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The council met on Monday \x1b[2J and voted 7 to 2 for the plan.\n", encoding="utf-8")
    b.write_text("On Monday the council voted 7 to 2 for the plan.\n", encoding="utf-8")
    _, doc = _export(capsys, str(a), str(b))
    texts = [s["text"] for r in doc["rows"] for m in r["members"] for s in m["sentences"]]
    assert any("␛[2J" in t for t in texts) and not any("\x1b" in t for t in texts)
    _, doc = _export(capsys, "--no-guard", str(a), str(b))
    texts = [s["text"] for r in doc["rows"] for m in r["members"] for s in m["sentences"]]
    assert any("\x1b[2J" in t for t in texts)


# --------------------------------------------------------------------------- a cell of several sentences


def _split_statement() -> Alignment:
    """Source 0 says in two sentences what source 1 says in one; the number they disagree on is in the second."""
    a = ["Fighting broke out at the border.", "It killed 23 soldiers, the army said."]
    b = ["Border fighting killed 58 soldiers, the army said."]
    sources = []
    for sid, sentences in enumerate((a, b)):
        text, spans = "", []
        for sentence in sentences:
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence + " "
        sources.append(Source(id=sid, name=f"{sid}.txt", label=str(sid), text=text,
                              sentences=tuple(Sentence(sid, i, s, x, y) for i, (s, (x, y)) in enumerate(zip(sentences, spans)))))
    return Alignment(tuple(sources), (Row(((0, 1), (0,)), score=0.8),), AlignSettings())


def test_a_cell_of_several_sentences_is_a_list_and_its_flag_points_at_the_right_one(validator):
    alignment = _split_statement()
    doc = json.loads(dumps(document(alignment)))
    validator.validate(doc)
    (row,) = doc["rows"]
    assert [[s["index"] for s in m["sentences"]] for m in row["members"]] == [[0, 1], [0]]
    _assert_same_lines(doc, [tuple(d[k] for k in ("row", "source", "sentence", "text", "start", "end", "coverage",
                                                  "score", "kind")) for d in _long(alignment)])
    (flag,) = row["flags"]
    assert [r["value"] for r in flag["readings"]] == ["23", "58"]
    span = next(s for s in flag["spans"] if s["source"] == 0)
    assert span["sentence"] == 1
    assert alignment.sources[0].text[span["start"]:span["end"]] == span["text"]
    assert span["text"].startswith("23")
