"""``parallax batch``: many stories at once, on a process pool or a real Dask cluster.

The stories are small (the gold stories' own articles, a few of them per
story) so that the suite stays quick; the one Dask cluster is started once
for the module (two worker processes on 127.0.0.1, no dashboard) and shared.
The agreement tests derive every number from what ``parallax export`` and
``parallax omissions`` print for the same folder, not from the batch code.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tui import batch_cli
from tui.cli import main
from tui.core.batch import ROWS_HEADER, STATS_HEADER, StoryResult, find_stories, run_story
from tui.core.errors import IngestError

#: the Dask tests need the optional extra (the test extra brings it too); without it they say so and skip
DASK_EXTRA = "dask[distributed] is the optional dask extra: pip install 'parallax-reader[dask]'"
GOLD = Path(__file__).resolve().parent / "gold"

#: story name -> (gold story, how many of its articles)
GOOD = {"harbour": ("harbour-fire", 5), "mayor": ("mayor-recount", 3), "pill": ("pill-recall", 4)}


def _articles(gold: str) -> list[Path]:
    return sorted((GOLD / gold / "articles").iterdir())


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three good stories, one with a single article and one with a binary file among its articles."""
    root = tmp_path_factory.mktemp("stories")
    for name, (gold, n) in GOOD.items():
        (root / name).mkdir()
        for article in _articles(gold)[:n]:
            shutil.copy(article, root / name / article.name)
    (root / "lonely").mkdir()
    shutil.copy(_articles("pill-recall")[0], root / "lonely")
    (root / "binary").mkdir()
    for article in _articles("mayor-recount")[:2]:
        shutil.copy(article, root / "binary" / article.name)
    (root / "binary" / "scan.txt").write_bytes(bytes(range(256)) * 8)
    (root / ".hidden").mkdir()  # not a story
    (root / "README.txt").write_text("not a story either\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def good_stories(stories: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the good stories, for runs that must exit 0."""
    root = tmp_path_factory.mktemp("good")
    for name in GOOD:
        shutil.copytree(stories / name, root / name)
    return root


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster on this machine: a scheduler and two worker processes on 127.0.0.1."""
    distributed = pytest.importorskip("distributed", reason=DASK_EXTRA)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
    ) as local:
        yield local.scheduler_address


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.reader(fp))


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_user_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error:" in lines[0] and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# --------------------------------------------------------------------------- pool and cluster


@pytest.fixture(scope="module")
def pool_run(stories: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, Path]:
    """One pool run over all the stories (two workers), shared by the tests that read its output."""
    out = tmp_path_factory.mktemp("pool")
    stats, rows = out / "stats.csv", out / "rows.csv"
    capture = io.StringIO()
    saved = sys.stderr
    sys.stderr = capture
    try:
        code = main(["batch", str(stories), "-o", str(stats), "--rows", str(rows), "--workers", "2"])
    finally:
        sys.stderr = saved
    return code, capture.getvalue(), stats, rows


@pytest.mark.parametrize("per_task", [1, 2], ids=["a-story-a-task", "two-stories-a-task"])
def test_pool_and_dask_cluster_write_identical_files(pool_run, stories, cluster, tmp_path, capsys, monkeypatch,
                                                     per_task):
    monkeypatch.setattr(batch_cli, "chunk_size", lambda stories, threads: per_task)
    code, _, stats, rows = pool_run
    dask_stats, dask_rows = tmp_path / "stats.csv", tmp_path / "rows.csv"
    dask_code, _, err = run(capsys, "batch", stories, "-o", dask_stats, "--rows", dask_rows, "--scheduler", cluster)
    assert (code, dask_code) == (1, 1), err
    assert dask_stats.read_bytes() == stats.read_bytes()
    assert dask_rows.read_bytes() == rows.read_bytes()
    assert "on the Dask cluster at " + cluster in err


def _explode(jobs, **options):
    raise RuntimeError("boom")


def test_a_dask_task_that_fails_fails_its_stories_only(good_stories, cluster, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch_cli, "run_stories", _explode)  # the function the driver sends to the workers
    code, _, err = run(capsys, "batch", good_stories, "-o", tmp_path / "stats.csv", "--scheduler", cluster)
    assert code == 1
    assert err.count("the Dask task failed (RuntimeError: boom)") == 2 * len(GOOD)  # as it happens, and at the end
    assert records(tmp_path / "stats.csv") == [list(STATS_HEADER)]


def test_output_is_in_story_order_with_the_documented_headers(pool_run):
    _, _, stats, rows = pool_run
    table = records(stats)
    assert tuple(table[0]) == STATS_HEADER
    assert table[0][:9] == "story,source,label,sentences,shared,unique,widely_reported,left_out,flags".split(",")
    names = [line[0] for line in table[1:]]
    assert names == sorted(names) and set(names) == set(GOOD)
    for name, (gold, n) in GOOD.items():
        assert [line[1] for line in table[1:] if line[0] == name] == [p.name for p in _articles(gold)[:n]]
    long = records(rows)
    assert tuple(long[0]) == ROWS_HEADER and long[0][0] == "story"
    assert [line[0] for line in long[1:]] == sorted(line[0] for line in long[1:])


def test_a_broken_story_is_reported_and_the_others_go_on(pool_run, stories):
    code, err, stats, _ = pool_run
    assert code == 1
    assert {line[0] for line in records(stats)[1:]} == {"harbour", "mayor", "pill"}
    tail = err.strip().splitlines()[-3:]
    assert tail[-1] == "parallax batch: error: 2 of 5 stories failed"
    assert tail[0].startswith("parallax batch: failed: binary: ") and "scan.txt" in tail[0] and "binary" in tail[0]
    assert tail[1].startswith("parallax batch: failed: lonely: ") and "at least two sources" in tail[1]
    # the reason names the file as the user named the folder, not by a worker's absolute path
    assert str(stories / "binary" / "scan.txt") in tail[0]
    assert "Traceback" not in err


def test_progress_without_a_terminal_is_one_plain_line_per_story(pool_run):
    _, err, _, _ = pool_run
    lines = [line for line in err.splitlines() if re.match(r"parallax batch: \[\d/5\] ", line)]
    assert len(lines) == 5 and "\r" not in err and "\x1b" not in err
    assert sorted(int(re.search(r"\[(\d)/5\]", line).group(1)) for line in lines) == [1, 2, 3, 4, 5]
    assert any(re.search(r"\] harbour: 5 sources, \d+ rows", line) for line in lines)
    assert any("] lonely: failed: need at least two sources" in line for line in lines)


def test_progress_on_a_terminal_is_a_bar_with_failures_on_their_own_lines():
    stream = io.StringIO()
    progress = batch_cli.Progress(3, stream, bar=True)
    progress.update(StoryResult("a", n_rows=4))
    progress.update(StoryResult("b", error="no article text found"))
    progress.update(StoryResult("c", n_rows=2))
    progress.close()
    text = stream.getvalue()
    assert "parallax batch: b failed: no article text found\n" in text
    bars = re.findall(r"\r(parallax batch \[[#-]+\] [^\r\x1b]*)\x1b\[K", text)
    assert bars and bars[-1].split("]")[1].startswith(" 3/3 stories, 1 failed")
    assert len({bar.index("]") for bar in bars}) == 1  # the bar never changes width
    assert text.endswith("\r\x1b[K")  # and is cleared at the end


def test_dask_tasks_take_a_handful_of_small_stories_but_leave_every_thread_work():
    assert batch_cli.chunk_size(1000, 2) == 8
    assert batch_cli.chunk_size(45, 2) == 2
    assert batch_cli.chunk_size(5, 2) == 1
    assert batch_cli.chunk_size(10, 0) == 1  # a cluster that reports no threads yet


def test_results_are_written_in_story_order_whatever_order_they_finish_in():
    order = batch_cli._InOrder(["a", "b", "c"])
    assert [r.story for r in order.add(StoryResult("c"))] == []
    assert [r.story for r in order.add(StoryResult("a"))] == ["a"]
    assert [r.story for r in order.add(StoryResult("b"))] == ["b", "c"]


# --------------------------------------------------------------------------- the numbers agree


def _from_export_and_omissions(capsys, story: Path, *options: str) -> dict[str, list[int]]:
    """Per source, the stats columns as derived from `parallax export` and `parallax omissions` alone."""
    code, out, _ = run(capsys, "export", story, *options)
    assert code == 0
    long = parse(out)
    head, lines = long[0], long[1:]
    col = {name: i for i, name in enumerate(head)}
    code, out, _ = run(capsys, "export", story, "--format", "wide", *options)
    assert code == 0
    wide = parse(out)
    code, out, _ = run(capsys, "omissions", story, "--format", "csv", *options)
    assert code == 0
    omitted = parse(out)[1:]
    # a row of one outlet's summary lines only (its headline, a heading) is not a row it alone reports
    code, out, _ = run(capsys, "export", story, "--format", "json", *options)
    assert code == 0
    summary_rows = {str(item["row"]) for item in json.loads(out)["rows"] if item["summary"]}
    code, out, _ = run(capsys, "omissions", story, *options)
    assert code == 0
    widely = int(re.match(r"(\d+) of \d+ rows are widely reported", out).group(1))

    sources = list(dict.fromkeys(line[col["source"]] for line in lines))
    left_out_by = defaultdict(int)
    for line in wide[1:]:
        for name in filter(None, line[wide[0].index("left_out_by")].split("; ")):
            left_out_by[name] += 1
    numbers = {}
    for name in sources:
        mine = [line for line in lines if line[col["source"]] == name]
        rows_of = lambda keep, mine=mine: {line[col["row"]] for line in mine if keep(line)}  # noqa: E731
        left_out = sum(1 for line in omitted if line[0] == name)
        assert left_out == left_out_by[name]  # the two exports agree with each other too
        numbers[name] = [
            len(mine),
            sum(1 for line in mine if int(line[col["coverage"]]) >= 2),
            len(rows_of(lambda line: line[col["coverage"]] == "1" and line[col["row"]] not in summary_rows)),
            widely,
            left_out,
            len(rows_of(lambda line: line[col["flags"]] != "")),
        ]
    return numbers


@pytest.mark.parametrize("options", [(), ("--min-share", "0.8", "--threshold", "0.5")], ids=["defaults", "options"])
def test_stats_agree_with_export_and_omissions(capsys, good_stories, tmp_path, options):
    stats = tmp_path / "stats.csv"
    code, _, err = run(capsys, "batch", good_stories, "-o", stats, "--workers", "1", *options)
    assert code == 0, err
    table = records(stats)[1:]
    for name in GOOD:
        expected = _from_export_and_omissions(capsys, good_stories / name, *options)
        got = {line[1]: [int(v) for v in line[3:9]] for line in table if line[0] == name}
        assert got == expected, name
    # the numbers say something: some sharing, some omissions, some flags across the stories
    columns = list(zip(*([int(v) for v in line[3:9]] for line in table)))
    assert all(sum(column) > 0 for column in columns)


def test_rows_are_each_storys_long_export_with_the_story_in_front(capsys, pool_run, stories):
    _, _, _, rows = pool_run
    long = records(rows)
    for name in GOOD:
        code, out, _ = run(capsys, "export", stories / name)
        assert code == 0
        assert [line[1:] for line in long[1:] if line[0] == name] == parse(out)[1:]


def test_labels_come_from_the_usual_ingest_rules(pool_run):
    _, _, stats, _ = pool_run
    labels = {line[1]: line[2] for line in records(stats)[1:]}
    assert labels["02_harbour_gazette.txt"] == "The Harbour Gazette"  # its front matter's Source: line
    assert labels["01_meridian_wire.txt"] == "01_meridian_wire"  # else the file stem


def test_a_sources_toml_labels_a_storys_outlets_and_skipped_files_are_warned_about(capsys, good_stories, tmp_path):
    story = tmp_path / "stories" / "pill"
    shutil.copytree(good_stories / "pill", story)
    first = _articles("pill-recall")[0].name
    (story / "sources.toml").write_text(f'[[article]]\nfile = "{first}"\noutlet = "Nordpress"\n', encoding="utf-8")
    (story / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    stats = tmp_path / "stats.csv"
    code, _, err = run(capsys, "batch", tmp_path / "stories", "-o", stats, "--workers", "1")
    assert code == 0, err
    assert {line[1]: line[2] for line in records(stats)[1:]}[first] == "Nordpress"
    warned = [line for line in err.splitlines() if line.startswith("parallax batch: warning: pill: ")]
    assert len(warned) == 1 and "1 .jpg" in warned[0], err


def test_stats_go_to_stdout_without_o(capsys, good_stories):
    code, out, err = run(capsys, "batch", good_stories, "--workers", "1")
    assert code == 0, err
    table = parse(out)
    assert tuple(table[0]) == STATS_HEADER and len(table) == 1 + sum(n for _, n in GOOD.values())
    assert "wrote 12 lines to stdout" in err


# --------------------------------------------------------------------------- usage errors


def test_bad_stories_dir_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "batch", tmp_path / "nowhere")
    assert_user_error(code, err, "does not exist")
    (tmp_path / "file.txt").write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", tmp_path / "file.txt")
    assert_user_error(code, err, "is not a folder")
    code, _, err = run(capsys, "batch", tmp_path)  # files only, no story folder
    assert_user_error(code, err, "holds no story folders")
    code, _, err = run(capsys, "batch")
    assert_user_error(code, err, "STORIES_DIR")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--workers", "0"], "at least 1"),
        (["--workers", "two"], "not a whole number"),
        (["--threshold", "2"], "between 0 and 1"),
        (["--min-share", "-0.1"], "between 0 and 1"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "not allowed with"),
        (["-o", "{tmp}/missing/stats.csv"], "does not exist"),
        (["--rows", "-"], "cannot both go to stdout"),
        (["-o", "{tmp}/x.csv", "--rows", "{tmp}/x.csv"], "give two files"),
    ],
)
def test_bad_options_are_usage_errors(capsys, good_stories, tmp_path, argv, fragment):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, "batch", good_stories, *argv)
    assert_user_error(code, err, fragment)
    assert out == "" and not list(tmp_path.iterdir())


def test_missing_dask_is_one_line_and_exit_2(capsys, good_stories, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    code, out, err = run(capsys, "batch", good_stories, "--scheduler", "tcp://127.0.0.1:8786")
    assert_user_error(code, err, "pip install 'parallax-reader[dask]'")
    assert out == ""


def test_unreachable_scheduler_is_one_line_and_exit_2(capsys, good_stories, monkeypatch, tmp_path):
    pytest.importorskip("distributed", reason=DASK_EXTRA)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(batch_cli, "CONNECT_TIMEOUT", 1.0)
    code, out, err = run(capsys, "batch", good_stories, "-o", tmp_path / "s.csv", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert_user_error(code, err, f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")
    assert not list(tmp_path.iterdir())


def test_an_interrupted_run_leaves_no_file(capsys, good_stories, tmp_path, monkeypatch):
    def interrupted(jobs, workers, **options):
        yield run_story(*jobs[0], **options)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_cli, "run_pool", interrupted)
    code, _, _ = run(capsys, "batch", good_stories, "-o", tmp_path / "stats.csv", "--rows", tmp_path / "rows.csv")
    assert code == 130
    assert not list(tmp_path.iterdir())  # neither the files nor their temporary parts


# --------------------------------------------------------------------------- the worker function


def test_run_story_returns_the_reason_instead_of_raising(tmp_path, monkeypatch, stories):
    assert "at least two sources" in run_story("lonely", stories / "lonely").error
    assert "not a folder" in run_story("gone", tmp_path / "gone").error

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("tui.core.align.align", broken)
    result = run_story("harbour", stories / "harbour")
    assert result.error == "unexpected RuntimeError: boom" and "Traceback" in result.detail
    assert not result.ok and result.stats == ()


def test_a_cell_of_several_sentences_counts_each_of_them_as_shared(stories):
    """One outlet telling in two sentences what another tells in one: both of its sentences are shared."""
    from tui.core.batch import _long_records, story_stats
    from tui.core.ingest import load_sources
    from tui.core.model import Alignment, Row, alignment_problems

    a, b = load_sources(sorted((stories / "pill").iterdir())[:2])
    first_body = next(i for i, s in enumerate(a.sentences) if s.kind == "body")
    pair = (first_body, first_body + 1)
    rows = [Row((pair, (0,)), score=0.8)]
    rows += [Row(((i,), ())) for i in range(len(a.sentences)) if i not in pair]
    rows += [Row(((), (i,))) for i in range(1, len(b.sentences))]
    alignment = Alignment((a, b), tuple(rows))
    assert alignment_problems(alignment) == []
    records = _long_records(alignment)
    stats = story_stats(alignment, records)
    assert (stats[0].shared, stats[1].shared) == (2, 1)
    assert stats[0].shared == sum(1 for r in records if r[2] == a.name and r[7] == "2")  # as the export says
    assert (stats[0].sentences, stats[1].sentences) == (len(a.sentences), len(b.sentences))
    # rows of one sentence each are the outlet's alone, except those of a summary line (its headline)
    from tui.core.model import SUMMARY, sentence_layers

    alone_a = [i for i in range(len(a.sentences)) if i not in pair and sentence_layers(a)[i] != SUMMARY]
    alone_b = [i for i in range(1, len(b.sentences)) if sentence_layers(b)[i] != SUMMARY]
    assert len(alone_a) < len(a.sentences) - 2  # the headline is one of them: the case is tested
    assert (stats[0].unique, stats[1].unique) == (len(alone_a), len(alone_b))


def test_find_stories_skips_hidden_folders_and_files(stories):
    assert [name for name, _ in find_stories(stories)] == ["binary", "harbour", "lonely", "mayor", "pill"]
    with pytest.raises(IngestError, match="holds no story folders"):
        find_stories(stories / "harbour")
