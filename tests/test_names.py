"""Source labels: short forms of hash-named files, sources.toml, --label."""

from __future__ import annotations

import pytest

from tui.core.errors import IngestError
from tui.core.ingest import load_sources
from tui.core.ingest.names import clean_label, parse_label_option, read_sources_file, short_labels


def test_hash_stems_shrink_to_their_readable_part():
    stems = ["000_bd062090da669a4d", "001_50cc184a822ba083", "002_616b7faac935c855"]
    assert short_labels(stems) == ["000", "001", "002"]


def test_readable_stems_are_left_alone():
    assert short_labels(["guardian", "bbc-report", "ap_2024_wire", "the-long-name-of-a-very-long-story"]) == [
        "guardian", "bbc-report", "ap_2024_wire", "the-long-name-of-a-very-long-story",
    ]


def test_a_shared_readable_part_falls_back_to_a_unique_prefix():
    assert short_labels(["report_3f2a9b1c77", "report_9e8d7c6b55"]) == ["report_3f2a", "report_9e8d"]
    assert short_labels(["bd062090da669a4d", "bd1190aa00ff3c2e"]) == ["bd06", "bd11"]
    # unique prefixes longer than four hash characters when that is what it takes
    assert short_labels(["x_abcdef012345", "x_abcdef987654"]) == ["x_abcdef0", "x_abcdef9"]


def test_short_labels_avoid_labels_taken_by_named_sources():
    assert short_labels(["000_bd062090da669a4d", "001_50cc184a822ba083"], taken=["000"]) == ["000_bd06", "001"]
    assert short_labels(["000_bd062090da669a4d"], taken=["000_bd06", "000"]) == ["000_bd062090da669a4d"]


@pytest.mark.parametrize("stems", [["a1b2c3d4e5f6", "a1b2c3d4e5f6_x"], ["000_aaaa1111bbbb", "000_aaaa1111bbbb2"]])
def test_short_labels_are_always_unique(stems):
    labels = short_labels(stems)
    assert len(set(labels)) == len(labels)


def test_clean_label():
    assert clean_label("  The\tMillbrook\n Courier ") == "The Millbrook Courier"
    assert clean_label("Evil\x1b[2JName") == "Evil [2JName"
    assert len(clean_label("x" * 500)) == 60


def test_parse_label_option_splits_at_the_last_equals_sign():
    assert parse_label_option("https://a.example/s?id=3=Dawn") == ("https://a.example/s?id=3", "Dawn")
    assert parse_label_option("-=Wire service") == ("-", "Wire service")
    for bad in ("nothing", "=Name", "file="):
        with pytest.raises(IngestError):
            parse_label_option(bad)


def test_sources_toml_entries(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[[article]]\nfile = "a.txt"\noutlet = "Dawn"\ndate = 2025-05-08\nauthor = "Staff"\n'
        '[[article]]\nfile = "gone.txt"\noutlet = "Gone"\n',
        encoding="utf-8",
    )
    said: list[str] = []
    found = read_sources_file(tmp_path / "sources.toml", said.append)
    info = found[(tmp_path / "a.txt").resolve()]
    assert (info.outlet, info.date, info.author, info.url) == ("Dawn", "2025-05-08", "Staff", None)
    assert len(said) == 1 and "gone.txt" in said[0] and "no such file" in said[0]


def test_sources_toml_naming_a_file_twice_is_an_error(tmp_path):
    (tmp_path / "sources.toml").write_text('[[article]]\nfile = "a.txt"\n[[article]]\nfile = "./a.txt"\n')
    with pytest.raises(IngestError, match="already named"):
        read_sources_file(tmp_path / "sources.toml")


def test_sources_toml_in_a_folder_applies_to_files_in_its_subfolders(tmp_path):
    sub = tmp_path / "day1"
    sub.mkdir()
    (sub / "x.txt").write_text("Six hundred people left Millbrook on Tuesday.\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("Millbrook emptied on Tuesday.\n", encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[[article]]\nfile = "day1/x.txt"\noutlet = "Radio"\nurl = "https://radio.example/x"\n', encoding="utf-8"
    )
    sources = load_sources([tmp_path])
    by_name = {s.name: s for s in sources}
    assert by_name["x.txt"].label == "Radio" and by_name["x.txt"].url == "https://radio.example/x"
    assert by_name["y.txt"].label == "y"


def test_a_sessions_renames_survive_json_and_apply_by_file_name(tmp_path):
    from tui.core.session import Session

    (tmp_path / "a.txt").write_text("Six hundred people left Millbrook on Tuesday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Millbrook emptied on Tuesday as 600 left.\n", encoding="utf-8")
    sources = load_sources([tmp_path])
    session = Session.new("s", sources)
    assert session.set_label("b.txt", "  Valley   Radio ") and not session.set_label("b.txt", "Valley Radio")
    again = Session.from_json(session.to_json())
    assert [s.label for s in again.labelled(sources)] == ["a", "Valley Radio"]
    assert again.set_label("b.txt", None) and again.labelled(sources) == sources
    bad = {**session.to_json(), "labels": {"b.txt": 3}}
    with pytest.raises(ValueError, match="label"):
        Session.from_json(bad)
