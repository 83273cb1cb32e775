"""``parallax batch``'s options and help, apart from its driver (:mod:`tui.batch_cli`).

Every command builds the whole parser, the reader too; the driver and the
pipeline it runs (:mod:`tui.core.batch`) load only when ``batch`` runs.
"""

from __future__ import annotations

import argparse

from tui.cli import _megabytes, _share, _threshold

EXAMPLES = """\
examples:
  parallax batch stories/ -o stats.csv                 every core of this machine
  parallax batch stories/ -o stats.csv --rows rows.csv also every story's long CSV rows
  parallax batch stories/ --workers 2 --min-share 0.6
  parallax batch stories/ -o stats.csv --scheduler tcp://HOST:8786

Every sub-folder of STORIES_DIR is one story (hidden ones are skipped). The
stats CSV has one line per story and source:
  story,source,label,sentences,shared,unique,widely_reported,left_out,flags
A story that cannot be read is reported and skipped; the exit status is then 1.
With --scheduler, every Dask worker needs Parallax installed and must see
STORIES_DIR at the same absolute path.
"""


# --------------------------------------------------------------------------- parsing


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def add_parser(commands: argparse._SubParsersAction, formatter: type[argparse.HelpFormatter]) -> None:
    """Register ``parallax batch`` on the main parser's sub-commands."""
    p = commands.add_parser(
        "batch", help="coverage statistics for a folder of stories (all cores, or a Dask cluster)",
        formatter_class=formatter, epilog=EXAMPLES,
        description="Align every story (each sub-folder of STORIES_DIR) and write, per story and source,\n"
        "how much it shares, what only it reports, what it leaves out and where it disagrees.",
    )
    p.add_argument("stories", metavar="STORIES_DIR", help="a folder with one sub-folder of articles per story")
    p.add_argument("-o", "--output", metavar="FILE", help="write the stats CSV to FILE (default: stdout)")
    p.add_argument("--rows", metavar="FILE",
                   help="also write every story's long CSV rows (as 'parallax export') with a leading story column")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_workers, metavar="N",
                       help="worker processes on this machine (default: one per core)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on the Dask cluster whose scheduler listens at ADDRESS, e.g. tcp://host:8786")
    p.add_argument("--threshold", type=_threshold, metavar="F", help="pair score in [0, 1] needed to share a row")
    p.add_argument("--min-share", type=_share, metavar="F",
                   help="share of the sources (and at least two) a row needs to be widely reported (default: 0.5)")
    p.add_argument("--max-size", type=_megabytes, default=5.0, metavar="MB",
                   help="refuse article files larger than this many megabytes (default: 5)")
