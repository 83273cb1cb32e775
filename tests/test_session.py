"""Sessions: where they live, what they keep, how they fail, and how they follow edited sources."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from tui import sessions_cli
from tui.core.errors import SessionError
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings, Alignment, Annotation, Override, Row, Source
from tui.core.seeds import seeds_dir
from tui.core.pipeline import export_alignment
from tui.core.session import DEFAULT_TAGS, Session, ViewState
from tui.core.session_names import validate_name
from tui.core.session_store import SessionStore, sessions_dir

SEED_A = "000_bd062090da669a4d.txt"
SEED_B = "001_50cc184a822ba083.txt"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> SessionStore:
    return SessionStore()


@pytest.fixture
def articles(tmp_path: Path) -> list[Path]:
    """Two seed articles copied where a test may edit them."""
    folder = tmp_path / "articles"
    folder.mkdir()
    return [Path(shutil.copy(seeds_dir() / n, folder / n)) for n in (SEED_A, SEED_B)]


def singles(sources: list[Source], pairs: list[tuple[int, int]] = ()) -> Alignment:
    """A hand-made alignment: (A[i], B[j]) for each pair, every other sentence alone.

    Built by hand so these tests depend on the session code, not on the aligner's judgement.
    """
    a, b = sources
    paired_b = {j: i for i, j in pairs}
    rows = []
    for i in range(len(a.sentences)):
        j = next((j for j, ii in paired_b.items() if ii == i), None)
        rows.append(Row((i, j), 0.8 if j is not None else 1.0))
    rows += [Row((None, j)) for j in range(len(b.sentences)) if j not in paired_b]
    return Alignment(tuple(sources), tuple(rows), AlignSettings(pivot=0))


def row_with(al: Alignment, source: int, index: int) -> int:
    return next(r for r, row in enumerate(al.rows) if row.holds(source, index))


# --------------------------------------------------------------------------- location and names


def test_parallax_home_is_respected(home: Path):
    assert sessions_dir() == home / "sessions"
    assert SessionStore().root == home / "sessions"


def test_without_parallax_home_the_user_data_dir_is_used(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PARALLAX_HOME", raising=False)
    assert sessions_dir() == Path(platformdirs.user_data_dir("parallax")) / "sessions"


@pytest.mark.parametrize(
    "name",
    ["../x", "/abs", "CON", "con.json", "nul", "COM1", "a/b", "a\\b", "", "..", ".hidden", "x" * 81,
     "tab\there", "new\nline", "C:drive", "trailing.", " padded", "what?"],
)
def test_bad_names_are_refused(store: SessionStore, name: str):
    with pytest.raises(SessionError, match="invalid session name"):
        validate_name(name)
    with pytest.raises(SessionError):
        store.load(name)
    with pytest.raises(SessionError):
        Session.new(name, [])


@pytest.mark.parametrize("name", ["pakistan", "Pakistan talks (v2)", "2025-10-29_x", "é-ü", "x" * 80])
def test_good_names_are_accepted(name: str):
    assert validate_name(name) == name


# --------------------------------------------------------------------------- round trip


def test_everything_survives_a_save_and_load(store: SessionStore, articles: list[Path]):
    sources = load_sources(articles)
    al = singles(sources, [(0, 1), (5, 3)])
    s = Session.new("trip", sources, AlignSettings(threshold=0.42, pivot=1, min_share=0.75))
    assert s.dirty
    assert s.set_annotation(al, 0, Annotation("first line\nsecond line\n\n  indented", ("framing", "my-tag"), True))
    assert s.set_annotation(al, row_with(al, 0, 5), Annotation("", ("omission",), False))
    assert s.add_override(al, Override("unlink", 1, 3)) is None
    shown = s.apply(al)
    assert s.add_override(shown, Override("link", 1, 3, anchor_source=0, anchor_index=7)) is None
    s.add_tag("numbers")
    s.update_view(row=12, source=1, filter="unique", wrap=True)
    path = store.save(s)
    assert path == store.root / "trip.json" and not s.dirty

    back = store.load("trip")
    assert back.to_json() == s.to_json()
    assert back.tags == [*DEFAULT_TAGS, "my-tag", "numbers"]
    assert back.view == ViewState(row=12, filter="unique", wrap=True, extra={"source": 1})
    assert back.align_settings(sources) == AlignSettings(threshold=0.42, pivot=1, min_share=0.75)
    assert back.resolved_overrides(sources) == [Override("unlink", 1, 3), Override("link", 1, 3, 0, 7)]
    final = back.apply(al)
    anns = back.annotations_by_row(final)
    assert anns[0] == Annotation("first line\nsecond line\n\n  indented", ("framing", "my-tag"), True)
    assert anns[row_with(final, 0, 5)] == Annotation("", ("omission",), False)
    assert final.rows[row_with(final, 0, 7)].cells == ((7,), (3,))
    info = store.list()
    assert [(i.name, i.sources, i.annotations, i.error) for i in info] == [("trip", 2, 2, None)]


def test_an_empty_annotation_removes_it_and_undo_brings_it_back(store: SessionStore, articles: list[Path]):
    sources = load_sources(articles)
    al = singles(sources, [(0, 1)])
    s = Session.new("u", sources)
    s.set_annotation(al, 0, Annotation("keep me"))
    assert s.set_annotation(al, 0, Annotation("keep me")) is None  # no change, no undo step
    s.add_override(al, Override("unlink", 1, 1))
    assert s.set_annotation(al, 0, Annotation()) == "removed annotation on row #0"
    assert s.annotations_by_row(al) == {}
    assert s.undo() == "removed annotation on row #0"
    assert s.annotations_by_row(al) == {0: Annotation("keep me")}
    assert "unlink" in (s.undo() or "")
    assert s.overrides == []
    assert s.undo() == "annotation on row #0"
    assert s.annotations == [] and s.undo() is None


def test_annotations_follow_their_sentences_across_pivot_and_fixes(articles: list[Path]):
    sources = load_sources(articles)
    al = singles(sources, [(2, 4), (3, 5)])
    s = Session.new("p", sources)
    s.set_annotation(al, 2, Annotation("about A2/B4"))
    # another pivot: same rows, another order
    by_b = Alignment(al.sources, tuple(reversed(al.rows)), AlignSettings(pivot=1))
    assert s.annotations_by_row(by_b) == {row_with(by_b, 0, 2): Annotation("about A2/B4")}
    # unlinking one member of a two-sentence row: the note stays with the pivot's sentence
    fixed = s.apply(al)
    s.add_override(fixed, Override("unlink", 1, 4))
    fixed = s.apply(al)
    assert s.annotations_by_row(fixed) == {row_with(fixed, 0, 2): Annotation("about A2/B4")}
    # a higher threshold merging two annotated rows shows both notes, nothing hidden
    s.set_annotation(fixed, row_with(fixed, 1, 4), Annotation("about B4", ("framing",)))
    merged = Alignment(al.sources, (Row((2, 4)),) + tuple(r for r in al.rows if not r.holds(0, 2) and not r.holds(1, 4)))
    assert s.annotations_by_row(merged)[0] == Annotation("about A2/B4\n\nabout B4", ("framing",), False)


# --------------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"format": "parallax-session", "schema_version": 1, "name": "x", "sour', "not valid JSON"),
        (json.dumps({"format": "parallax-session", "schema_version": 1, "name": "x"}).encode(), "must be"),
        (json.dumps({"hello": "world"}).encode(), "not a Parallax session"),
        (json.dumps([1, 2, 3]).encode(), "must be an object"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"", "not valid JSON"),
    ],
)
def test_a_damaged_file_is_moved_aside_and_reported(store: SessionStore, content: bytes, why: str):
    store.root.mkdir(parents=True)
    (store.root / "bad.json").write_bytes(content)
    assert store.list()[0].error  # listed, not fatal
    with pytest.raises(SessionError, match="moved it aside") as exc:
        store.load("bad")
    assert why in str(exc.value) and "\n" not in str(exc.value)
    assert not store.exists("bad")
    aside = list(store.root.glob("bad.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert aside[0].name in str(exc.value)
    # a fresh session can now take the name
    store.save(Session.new("bad", []))
    assert store.load("bad").name == "bad"


def test_a_file_from_a_newer_parallax_is_refused_but_left_alone(store: SessionStore):
    s = Session.new("future", [])
    store.save(s)
    data = json.loads(store.path("future").read_text())
    data["schema_version"] = 99
    store.path("future").write_text(json.dumps(data))
    with pytest.raises(SessionError, match="newer Parallax"):
        store.load("future")
    assert store.exists("future") and not list(store.root.glob("*.corrupt-*"))


def test_min_share_is_stored_and_older_files_get_the_default(store: SessionStore):
    """Sessions written before --min-share existed have no such setting: they read as the default."""
    s = Session.new("share", [], AlignSettings(min_share=0.8))
    store.save(s)
    data = json.loads(store.path("share").read_text())
    assert data["settings"]["min_share"] == 0.8
    assert store.load("share").align_settings([]).min_share == 0.8
    del data["settings"]["min_share"]
    store.path("share").write_text(json.dumps(data))
    assert store.load("share").align_settings([]).min_share == AlignSettings().min_share
    data["settings"]["min_share"] = 3
    store.path("share").write_text(json.dumps(data))
    with pytest.raises(SessionError, match="min_share"):
        store.load("share")


def test_unknown_session(store: SessionStore):
    with pytest.raises(SessionError, match="no session named 'nope'"):
        store.load("nope")
    with pytest.raises(SessionError, match="no session named"):
        store.delete("nope")


# --------------------------------------------------------------------------- locks and concurrent saves


def test_a_lock_refuses_a_second_holder(store: SessionStore):
    lock = store.acquire("shared")
    with pytest.raises(SessionError, match=rf"open in another Parallax \(pid {os.getpid()}\)"):
        store.acquire("shared")
    lock.release()
    lock.release()  # twice is harmless
    with store.acquire("shared"):
        assert (store.root / "shared.lock").exists()
    assert not (store.root / "shared.lock").exists()


def test_a_stale_lock_is_taken_over(store: SessionStore):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store.root.mkdir(parents=True)
    (store.root / "s.lock").write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "token": "x"}))
    lock = store.acquire("s")
    assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    lock.release()


def test_a_lock_from_another_host_is_respected(store: SessionStore):
    store.root.mkdir(parents=True)
    (store.root / "s.lock").write_text(json.dumps({"pid": 1, "host": "elsewhere.example", "token": "x"}))
    with pytest.raises(SessionError, match="pid 1 on elsewhere.example"):
        store.acquire("s")


def test_save_refuses_to_overwrite_a_concurrent_change(store: SessionStore):
    store.save(Session.new("c", []))
    mine, theirs = store.load("c"), store.load("c")
    theirs.update_view(row=3)
    store.save(theirs)
    mine.update_view(row=9)
    with pytest.raises(SessionError, match="changed on disk"):
        store.save(mine)
    assert store.load("c").view == ViewState(row=3)
    store.save(mine, force=True)
    assert store.load("c").view == ViewState(row=9)
    # and our own consecutive saves never trip over themselves
    mine.update_view(row=10)
    store.save(mine)
    store.save(mine)


def test_a_new_session_does_not_clobber_an_existing_one(store: SessionStore):
    store.save(Session.new("taken", []))
    with pytest.raises(SessionError, match="already exists"):
        store.save(Session.new("taken", []))


def test_delete_refuses_while_open_elsewhere(store: SessionStore):
    store.save(Session.new("d", []))
    with store.acquire("d"):
        with pytest.raises(SessionError, match="open in another Parallax"):
            store.delete("d")
    assert store.delete("d") == store.root / "d.json"
    assert not store.exists("d") and not (store.root / "d.lock").exists()


# --------------------------------------------------------------------------- re-anchoring


def edit(text: str, source: Source, changes: dict[int, str], insert_before: dict[int, str]) -> str:
    """Replace or delete sentences (by index) and insert text before others, by offsets."""
    spans = []
    for i, new in changes.items():
        s = source.sentences[i]
        end = source.sentences[i + 1].start if new == "" and i + 1 < len(source.sentences) else s.end
        spans.append((s.start, end, new))
    for i, new in insert_before.items():
        s = source.sentences[i]
        spans.append((s.start, s.start, new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_edited_sources_are_reanchored_and_what_vanished_is_orphaned(store: SessionStore, articles: list[Path]):
    sources = load_sources(articles)
    a = sources[0]
    assert a.sentences[10].text.startswith("According to RTA, Islamabad had sought assurances")
    assert a.sentences[8].text.startswith("Kabul has yet to officially comment")
    al = singles(sources, [(10, 7), (4, 2)])
    s = Session.new("edits", sources)
    s.set_annotation(al, row_with(al, 0, 10), Annotation("reworded later", ("sourcing",)))
    s.set_annotation(al, row_with(al, 0, 8), Annotation("deleted later", starred=True))
    s.set_annotation(al, row_with(al, 0, 6), Annotation("shifted only"))
    s.set_annotation(al, row_with(al, 0, 2), Annotation("before the edits"))
    s.add_override(al, Override("link", 0, 10, anchor_source=1, anchor_index=3))
    s.add_override(s.apply(al), Override("link", 0, 8, anchor_source=1, anchor_index=5))
    store.save(s)

    reworded = a.sentences[10].text.replace("had sought", "had requested")
    new_text = edit(a.text, a, {10: reworded, 8: ""},
                    {5: "Officials met late into the night. Mediators from Turkey urged calm. "})
    articles[0].write_text(new_text, encoding="utf-8")

    s = store.load("edits")
    now = load_sources(articles)
    texts = [x.text for x in now[0].sentences]
    assert texts[11] == reworded and texts[8] == a.sentences[6].text  # the edit did what we meant
    result = s.bind(now)
    assert result.changed == (SEED_A,) and result.missing == ()
    assert result.orphaned == 2 and result.reanchored >= 3
    assert "re-anchored" in result.message

    notes = {ann.note: ann for ann in s.annotations}
    assert set(notes) == {"reworded later", "shifted only", "before the edits"}
    first = {m.source: m for m in notes["reworded later"].members}[SEED_A]
    assert (first.index, first.text) == (11, reworded)
    assert [m.index for m in notes["shifted only"].members] == [8]
    assert [m.index for m in notes["before the edits"].members] == [2]
    assert s.resolved_overrides(now) == [Override("link", 0, 11, 1, 3)]

    kinds = sorted((o.kind, o.item.note if o.kind == "annotation" else o.item.sentence.text) for o in s.orphans)
    assert kinds == [("annotation", "deleted later"), ("override", a.sentences[8].text)]
    assert all("Kabul has yet to officially comment" in o.reason for o in s.orphans)
    assert s.dirty
    store.save(s)

    back = store.load("edits")
    assert back.to_json() == s.to_json()  # orphans persist
    again = back.bind(now)
    assert (again.changed, again.reanchored, again.orphaned) == ((), 0, 0)
    assert len(back.orphans) == 2

    al2 = singles(now, [(11, 7)])
    shown = back.annotations_by_row(back.apply(al2))
    assert sorted(x.note for x in shown.values()) == ["before the edits", "reworded later", "shifted only"]


def test_missing_sources_stay_dormant_not_orphaned(articles: list[Path]):
    sources = load_sources(articles)
    al = singles(sources)
    s = Session.new("m", sources)
    s.set_annotation(al, row_with(al, 1, 4), Annotation("on B only"))
    only_a = load_sources(articles[:1])
    res = s.bind(only_a)
    assert res.missing == (SEED_B,) and res.orphaned == 0
    assert len(s.annotations) == 1 and s.orphans == []
    back = s.bind(sources)
    assert back.missing == () and s.annotations_by_row(al) == {row_with(al, 1, 4): Annotation("on B only")}


# --------------------------------------------------------------------------- export and CLI


def test_export_alignment_rebuilds_rows_fixes_and_notes(store: SessionStore, articles: list[Path]):
    from tui.core.align import align

    sources = load_sources(articles)
    s = Session.new("exp", sources)
    base = align(sources, s.align_settings(sources))
    row = row_with(base, 0, 0)
    s.set_annotation(base, row, Annotation("lead"))
    s.add_override(base, Override("unlink", 0, 3) if base.rows[row_with(base, 0, 3)].count > 1
                   else Override("link", 0, 3, anchor_source=1, anchor_index=0))
    store.save(s)

    al, anns = export_alignment("exp", None, None)
    assert [src.name for src in al.sources] == [SEED_A, SEED_B]
    assert al.rows == s.apply(base).rows
    assert anns == {row_with(al, 0, 0): Annotation("lead")}
    assert store.load("exp").revision == 1  # export did not write

    articles[1].unlink()
    with pytest.raises(SessionError, match="is missing"):
        export_alignment("exp", None, None)


def test_export_alignment_reads_a_damaged_session_without_moving_it(store: SessionStore):
    """Export only reads: the damaged file stays where it is, for the app (or a person) to deal with."""
    path = store.path("bad")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{not json")
    with pytest.raises(SessionError, match="damaged") as info:
        export_alignment("bad", None, None)
    assert "moved" not in str(info.value)
    assert path.read_bytes() == b"{not json"
    assert [p.name for p in path.parent.iterdir()] == ["bad.json"]
    code, out, err = run_cli("show", "bad")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "damaged" in err
    assert [p.name for p in path.parent.iterdir()] == ["bad.json"]


def test_export_alignment_with_other_files_refuses_or_warns(store: SessionStore, articles: list[Path],
                                                           tmp_path: Path):
    """Notes must not vanish silently when the files given are not the session's sources."""
    from tui.core.align import align

    sources = load_sources(articles)
    s = Session.new("exp", sources)
    base = align(sources, s.align_settings(sources))
    s.set_annotation(base, row_with(base, 0, 0), Annotation("on A"))
    only_b = next(r for r, row in enumerate(base.rows) if row.cells[0] == ())
    s.set_annotation(base, only_b, Annotation("on B"))
    store.save(s)
    other = [tmp_path / "x.txt", tmp_path / "y.txt"]
    other[0].write_text("The bridge closed on Monday. Engineers found a crack.\n", encoding="utf-8")
    other[1].write_text("Engineers found a crack in the bridge. It closed Monday.\n", encoding="utf-8")

    with pytest.raises(SessionError, match=f"none of the given files.*{SEED_A}, {SEED_B}"):
        export_alignment("exp", other, None)

    said: list[str] = []
    al, anns = export_alignment("exp", [articles[0], other[0]], None, warn=said.append)
    assert len(said) == 1
    assert SEED_B in said[0] and "x.txt" in said[0]
    assert "1 of 2 annotations" in said[0]  # the note on B only cannot be placed
    assert sorted(a.note for a in anns.values()) == ["on A"]

    said.clear()
    export_alignment("exp", articles, None, warn=said.append)
    assert said == []  # the session's own files: nothing to say


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = sessions_cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_list_show_delete(store: SessionStore, articles: list[Path]):
    assert run_cli()[1].startswith("no sessions yet")
    sources = load_sources(articles)
    al = singles(sources)
    s = Session.new("cli-one", sources)
    s.set_annotation(al, 3, Annotation("two\nlines", ("framing",), True))
    s.add_override(al, Override("link", 1, 0, anchor_source=0, anchor_index=0))
    store.save(s)
    store.save(Session.new("cli-two", []))

    code, out, _ = run_cli("list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["NAME", "SOURCES", "ANNOTATIONS", "LAST", "CHANGE"]
    assert {ln.split()[0]: ln.split()[1:3] for ln in lines[1:]} == {"cli-one": ["2", "1"], "cli-two": ["0", "0"]}
    assert len({ln.index(ln.split()[1]) + len(ln.split()[1]) for ln in lines}) == 1  # right-aligned column

    articles[1].write_text("Edited.\n", encoding="utf-8")
    code, out, _ = run_cli("show", "cli-one")
    assert code == 0
    assert f"{SEED_A}" in out and "unchanged" in out and "CHANGED since" in out
    # sentence numbers count from 0, like the CSV "sentence" column: row 3 of `singles` is A's sentence 3
    assert "* " + SEED_A + " #3:" in out and "tags: framing" in out
    assert "      note: two\n            lines\n" in out
    assert "link " + SEED_B + " #0:" in out and "orphans (0)" in out
    assert f"row of {SEED_A} #0:" in out

    code, out, _ = run_cli("delete", "cli-two")
    assert code == 0 and "deleted session 'cli-two'" in out
    assert not store.exists("cli-two")

    for argv in (("delete", "cli-two"), ("show", "nope"), ("show", "../x"), ("delete", "CON")):
        code, out, err = run_cli(*argv)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, argv
    assert run_cli("frobnicate")[0] == 2


def test_a_source_renamed_in_another_corpus_is_followed_by_path(tmp_path: Path, articles: list[Path]):
    sources = load_sources(articles)
    al = singles(sources)
    s = Session.new("r", sources, AlignSettings(pivot=1))
    s.set_annotation(al, row_with(al, 1, 2), Annotation("on B"))
    clash = tmp_path / "other"
    clash.mkdir()
    shutil.copy(articles[1], clash / SEED_B)
    bigger = load_sources([*articles, clash / SEED_B])  # names now carry their folder
    assert bigger[1].name == f"articles/{SEED_B}"
    res = s.bind(bigger)
    assert res.missing == () and res.added == (f"other/{SEED_B}",) and res.orphaned == 0
    assert s.align_settings(bigger).pivot == 1
    big = Alignment(tuple(bigger), tuple(Row((None, j, None)) for j in range(len(bigger[1].sentences))))
    assert s.annotations_by_row(big) == {2: Annotation("on B")}


def test_saving_leaves_no_temporary_files(store: SessionStore):
    s = Session.new("tidy", [])
    for k in range(3):
        s.update_view(k=k)
        store.save(s)
    assert sorted(p.name for p in store.root.iterdir()) == ["tidy.json"]


def test_a_view_written_as_a_plain_dict_still_loads_typed_and_saves_back_whole(store: SessionStore):
    """Session files from before ViewState held the view as free-form JSON; nothing in them is lost."""
    store.save(Session.new("old", []))
    path = store.path("old")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["view"] = {"filter": "unique", "wrap": False, "focus": "a.txt", "row": 4, "anchor": ["a.txt", 2],
                    "zoom": 3}
    path.write_text(json.dumps(data), encoding="utf-8")
    view = store.load("old").view
    assert view == ViewState(row=4, anchor=("a.txt", 2), focus="a.txt", filter="unique", wrap=False,
                             extra={"zoom": 3})
    assert view.to_json() == data["view"] and not view.empty

    # values of the wrong type are not used, but kept as they were
    data["view"] = {"row": "4", "anchor": ["a.txt"], "wrap": "yes", "filter": None}
    path.write_text(json.dumps(data), encoding="utf-8")
    odd = store.load("old").view
    assert (odd.row, odd.anchor, odd.wrap, odd.filter) == (None, None, None, None)
    assert odd.to_json() == data["view"] and not odd.empty
    assert ViewState().empty and ViewState.from_json({}).empty


def test_update_view_merges_and_marks_dirty_only_on_a_change(store: SessionStore):
    s = Session.new("v", [])
    store.save(s)
    s.update_view(row=2, anchor=["a.txt", 5], wrap=True)
    assert s.dirty and s.view.anchor == ("a.txt", 5)
    store.save(s)
    s.update_view(row=2, anchor=["a.txt", 5])
    assert not s.dirty
    s.update_view(filter="shared")
    assert s.dirty and s.view == ViewState(row=2, anchor=("a.txt", 5), filter="shared", wrap=True)
    with pytest.raises(TypeError):
        s.update_view(row=object())  # not JSON: refused at once, not at save time
