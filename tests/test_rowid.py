"""Stable row ids (issue 15 item 6): the same sentence keeps its row id whatever the pivot or fixes elsewhere."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from tui.cli import main
from tui.core import rowid
from tui.core.align import align, with_pivot
from tui.core.model import AlignSettings, Alignment, Override
from tui.core.overrides import apply_overrides
from tui.core.rowid import find_row, row_ids, source_tags


def _export(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, str]]:
    assert main(["export", *argv]) == 0
    out, _ = capsys.readouterr()
    return list(csv.DictReader(io.StringIO(out)))


def _by_sentence(lines: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(line["source"], line["sentence"]): line["row_id"] for line in lines}


def test_export_and_export_pivot_3_give_every_sentence_the_same_row_id(capsys):
    """The acceptance test: ``parallax export`` and ``parallax export --pivot 3`` on the seeds."""
    plain = _export(capsys)
    pivoted = _export(capsys, "--pivot", "3")
    assert _by_sentence(plain) == _by_sentence(pivoted)
    assert len(_by_sentence(plain)) == len(plain)  # one line per sentence, every one with an id
    # the row numbers do change with the pivot: the id is what a note can cite
    rows = {(x["source"], x["sentence"]): x["row"] for x in plain}
    assert any(rows[k] != x["row"] for x in pivoted for k in [(x["source"], x["sentence"])])
    assert all(x["row_id"] for x in plain)


def test_the_wide_export_writes_the_same_ids_beside_row(capsys):
    long = _export(capsys)
    wide = _export(capsys, "--format", "wide", "--pivot", "2")
    assert list(wide[0])[:2] == ["row", "row_id"]
    ids_long = {x["row_id"] for x in long}
    assert {x["row_id"] for x in wide} == ids_long
    assert len({x["row_id"] for x in wide}) == len(wide)  # one id per row, all different


def test_json_export_names_each_row_by_the_csv_row_id(capsys, seeds_alignment):
    assert main(["export", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr()[0])
    assert [r["id"] for r in doc["rows"]] == list(row_ids(seeds_alignment))


def test_every_pivot_keeps_every_sentences_row_id(seeds_alignment):
    def ids(a: Alignment) -> dict[tuple[int, int], str]:
        names = row_ids(a)
        return {m: names[r] for r, row in enumerate(a.rows) for m in row.members}

    base = ids(seeds_alignment)
    for pivot in range(len(seeds_alignment.sources)):
        assert ids(with_pivot(seeds_alignment, pivot)) == base
        assert ids(align(seeds_alignment.sources, AlignSettings(pivot=pivot))) == base


def test_ids_are_unique_letters_then_an_index(seeds_alignment):
    ids = row_ids(seeds_alignment)
    assert len(set(ids)) == len(ids) == len(seeds_alignment.rows)
    for rid in ids:
        tag, _, index = rid.partition("-")
        assert len(tag) == rowid.TAG_LENGTH and set(tag) <= set(rowid.ALPHABET) and index.isdigit()
    assert all(find_row(seeds_alignment, rid) == r for r, rid in enumerate(ids))
    assert find_row(seeds_alignment, "bbbbbb-99999") is None


def test_a_fix_to_one_row_leaves_every_other_rows_id_alone(seeds_alignment):
    a = seeds_alignment
    before = row_ids(a)
    row = next(r for r, x in enumerate(a.rows) if x.count >= 3)
    s, i = a.rows[row].members[-1]
    fixed = apply_overrides(a, [Override("unlink", s, i)])
    after = {frozenset(x.members): rid for x, rid in zip(fixed.rows, row_ids(fixed))}
    untouched = [(frozenset(x.members), rid) for r, (x, rid) in enumerate(zip(a.rows, before)) if r != row]
    assert all(after[members] == rid for members, rid in untouched)
    assert len(fixed.rows) == len(a.rows) + 1  # the fix did renumber rows: the ids did not move


def test_a_source_renamed_or_moved_keeps_its_tag(seeds_alignment):
    sources = seeds_alignment.sources
    renamed = [replace(s, name="x" + s.name, label="y") for s in reversed(sources)]
    assert source_tags(renamed) == tuple(reversed(source_tags(sources)))


def test_sources_with_the_same_bytes_or_the_same_short_tag_are_told_apart(seeds_alignment, monkeypatch):
    a, b = seeds_alignment.sources[:2]
    twins = [a, replace(b, text=a.text, sha256=a.sha256, name="copy.txt")]
    tags = source_tags(twins)
    assert tags[0] != tags[1]
    monkeypatch.setattr(rowid, "TAG_LENGTH", 1)  # 20 one-letter tags for 25 sources: collisions certain
    many = [replace(a, name=f"{n}.txt", sha256=f"{n:064x}") for n in range(25)]
    tags = source_tags(many)
    assert len(set(tags)) == 25 and len(tags[0]) > 1


def test_the_anchor_prefers_a_body_sentence_over_a_headline(seeds_alignment):
    a = seeds_alignment
    for row in a.rows:
        found = rowid.anchor(a, row)
        assert found is not None and found in row.members
        kinds = {a.sources[s].sentences[i].kind for s, i in row.members}
        if "body" in kinds:
            assert a.sources[found[0]].sentences[found[1]].kind == "body"


# ---------------------------------------------------------------- sessions


def test_a_session_keeps_the_row_id_of_a_note_and_sessions_show_prints_it(seeds_alignment, tmp_path, monkeypatch):
    from tui.core.model import Annotation
    from tui.core.session import Session
    from tui.core.session_store import SessionStore
    from tui.sessions_cli import show_lines

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    a = seeds_alignment
    session = Session.new("ids", a.sources)
    row = 5
    session.set_annotation(a, row, Annotation(note="see this"))
    wanted = row_ids(a)[row]
    assert session.annotations[0].row_id == wanted
    SessionStore().save(session)
    loaded = SessionStore().load("ids")
    assert loaded.annotations[0].row_id == wanted
    assert any(line.strip() == f"row id: {wanted} (the export's row_id)" for line in show_lines(loaded))
    # under another pivot the note's row has another number but the same id
    moved = with_pivot(a, 3)
    (placed,) = loaded.annotations_by_row(moved)
    assert row_ids(moved)[placed] == wanted

