"""How ``export`` and its kin end (tui.finish): the collector left paused only when the process ends at once.

Resuming the cyclic collector a moment before ``os._exit`` starts a full
collection over the whole heap for nothing, so the program itself
(``main()`` reading ``sys.argv``) leaves it paused; a call in a process that
goes on (``main(argv)``, as these tests and any embedding make) resumes it
as it always did. No timing here: only the collector's state is checked.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

import tui.cli
from tui.cli import main
from tui.finish import collector_paused, ending_at_once


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Every test starts with the collector on and leaves it as it found it."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def test_a_paused_command_resumes_the_collector_in_a_process_that_goes_on():
    seen: list[bool] = []

    @collector_paused
    def command(_: object) -> int:
        seen.append(gc.isenabled())
        return 0

    assert command(None) == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_paused_command_leaves_the_collector_paused_when_the_process_ends_at_once():
    @collector_paused
    def command(_: object) -> int:
        return 0

    with ending_at_once():
        assert command(None) == 0
        assert not gc.isenabled()  # no full collection between the last line written and the end
    assert gc.isenabled()  # the block left without ending the process: resumed, the ordinary exit follows


def test_ending_at_once_resumes_the_collector_after_an_error():
    @collector_paused
    def command(_: object) -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError), ending_at_once():
        command(None)
    assert gc.isenabled()


def test_an_in_process_export_leaves_the_collector_on(tmp_path, two_articles, monkeypatch):
    ended: list[int] = []
    monkeypatch.setattr(tui.cli, "end_at_once", ended.append)
    assert main(["export", *map(str, two_articles), "-o", str(tmp_path / "rows.csv")]) == 0
    assert gc.isenabled()
    assert ended == []  # main(argv) never ends the process
    assert (tmp_path / "rows.csv").exists()


def test_the_program_itself_ends_its_export_with_the_collector_still_paused(tmp_path, two_articles, monkeypatch,
                                                                             capsys):
    seen: list[tuple[int, bool]] = []
    monkeypatch.setattr(tui.cli, "end_at_once", lambda status: seen.append((status, gc.isenabled())))
    monkeypatch.setattr(sys, "argv", ["parallax", "export", *map(str, two_articles), "-o", str(tmp_path / "rows.csv")])
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # main() sets it for the program; keep the test's environment
    assert main() == 0
    assert seen == [(0, False)]  # paused to the end: the process would end here, no collection first
    assert gc.isenabled()  # the stand-in returned (as end_at_once does when it cannot end): resumed
    assert (tmp_path / "rows.csv").exists()
    capsys.readouterr()


def test_the_program_itself_resumes_the_collector_for_a_command_that_does_not_end_at_once(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["parallax", "--version"])
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    assert main() == 0
    assert gc.isenabled()
    capsys.readouterr()
