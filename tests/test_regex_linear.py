"""No regular expression of the core blows up, whatever the text (issue 12, item 2).

A red-team pass found patterns that were quadratic or exponential on crafted
lines: ``Nobody`` + 16,000 spaces + ``knows why`` took 24.7 s in
``features()``, `` **a`` x 8,000 took 21 s, 16,000 spaces then ``*`` 5.4 s,
200 bylines with ``andA`` x 18 0.2 s each; the reader froze on them. Three
kinds of test keep it from coming back:

* a property test over **every** compiled pattern reachable from
  ``tui.core`` (collected by :func:`regexkit.core_patterns`, so a pattern
  written tomorrow is covered), fed repetitions built from its own parse
  tree, each run in a subprocess killed after a generous bound;
* the crafted lines of the issue, scaled to near the 5 MB file limit, through
  the functions they froze, in a subprocess with a time bound;
* the linear rewrites checked against the definitions they replace.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from regexkit import ANCHORED, BREAKERS, SEARCH, Worker, attack, core_patterns, seeds, usage
from strategies import profile

REPO = Path(__file__).resolve().parents[1]

#: Characters per attack: a linear pattern takes milliseconds on this, a quadratic one many seconds.
SIZE = 100_000
#: Seconds one attack may take: generous, for a loaded two-core machine; a guard, not a measurement.
BOUND = 10.0

PATTERNS = core_patterns()
MODES = usage()
SEEDS = {name: seeds(pattern) for name, pattern in PATTERNS.items()}


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


def test_patterns_are_collected_from_every_core_module():
    """The collection is programmatic: module-level patterns, patterns in lists, the ingest package."""
    modules = {name.split("[")[0].rsplit(".", 1)[0] for name in PATTERNS}
    assert {"tui.core.text", "tui.core.analysis", "tui.core.flags", "tui.core.segment"} <= modules
    assert any(m.startswith("tui.core.ingest.") for m in modules)
    assert "tui.core.text._CONTRACTIONS[3][0]" in PATTERNS  # inside a list of (pattern, replacement)
    assert "tui.core.text._NO_DEATH_RE" in PATTERNS
    assert all(SEEDS[name] for name in PATTERNS), "every pattern yields attacks"
    # a pattern only ever tried with fullmatch counts as anchored; one that is searched, as searched
    assert MODES["tui.core.ingest.furniture._BYLINE"] == ANCHORED
    assert MODES["tui.core.text._NO_DEATH_RE"] == SEARCH


@profile(4)
@given(st.data())
def test_no_core_pattern_backtracks_on_repetition(worker, data):
    """Head, a pump repeated to 100,000 characters (one line or 200), a breaking character: fast for every pattern."""
    name = data.draw(st.sampled_from(sorted(PATTERNS)), label="pattern")
    head, pump = data.draw(st.sampled_from(SEEDS[name]), label="head, pump")
    breaker = data.draw(st.sampled_from(BREAKERS), label="breaker")
    lines = data.draw(st.sampled_from([1, 200]), label="lines")
    worker.run(name, [attack(head, pump, breaker, SIZE, lines)], BOUND, MODES[name])


@pytest.mark.parametrize(("name", "head", "pump", "breaker", "lines"), [
    ("tui.core.text._NO_DEATH_RE", "Nobody", " ", "knows why", 1),
    ("tui.core.text._MD_QUOTE_CONTINUATION", "", " ", "*", 1),
    ("tui.core.ingest.furniture._BYLINE", "By A", "andA", "#", 200),
    ("tui.core.analysis._BRACKETED_RE", "", "[a", "", 200),
    ("tui.core.ingest.furniture._FURNITURE", "a \u00bb", " ", "!", 1),
    ("tui.core.ingest.structure._DATELINE", "A", "\t", "a", 1),
    ("tui.core.ingest.furniture._CONTACT_FIELD", "e-mail", " ", "x", 1),
    ("tui.core.ingest.webpage._HTML_START", "", "<!--a--> ", "", 1),
])
def test_the_patterns_the_red_team_found(worker, name, head, pump, breaker, lines):
    """The attacks found by hand (and by ``tests/bench/regex_sweep.py``), always run."""
    worker.run(name, [attack(head, pump, breaker, SIZE, lines)], BOUND, MODES[name])


# --------------------------------------------------------------------------- the issue's lines, near the file limit

CRAFTED = textwrap.dedent('''
    import sys
    from tui.core.compare import compare_cells
    from tui.core.ingest import parse_source
    from tui.core.text import display_text, features

    N = 4_500_000  # the default file limit is 5 MB
    names = " ".join(f"Ahmed{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}an" for i in range(N // 88))  # 512 KB
    CASES = {
        "no-death": (features, "Nobody" + " " * N + "knows why the fire started."),
        "strong": (display_text, " **a" * (N // 4)),
        "quote-continuation": (display_text, "The fire started." + " " * N + "*"),
        "byline": (parse_source, ("By A" + "andA" * 18 + "#\\n") * 2000),  # 0.2 s a line before
        "dateline": (parse_source, "A" + "\\t" * N + "a\\n"),
        "front-matter": (parse_source, "Title:" + "\\t" * N + "\\n\\nThe fire started."),
        "bracketed": (lambda t: compare_cells({0: t, 1: 'He said "the fire" today.'}), 'He said "' + "[" * N + '" today.'),
        "names": (lambda t: compare_cells({0: t, 1: t.replace("Ahmed", "Ahmad")}), f"The minister {names} said."),
    }
    for name in sys.argv[1:]:
        stage, text = CASES[name]
        stage(text)
        print(name, len(text), flush=True)
''')

CRAFTED_CASES = ["no-death", "strong", "quote-continuation", "byline", "dateline", "front-matter", "bracketed", "names"]


def test_the_issues_crafted_lines_near_the_file_limit_finish():
    """Each crafted line at ~4.5 MB through the function it froze; all of them well inside the bound.

    Before the fix the first alone would have run for days (quadratic in 4.5
    million spaces); now the whole set takes seconds.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run([sys.executable, "-c", CRAFTED, *CRAFTED_CASES], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired as exc:
        finished = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail(f"still running after {exc.timeout:.0f} s; finished: {finished.split() or 'none'}")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == CRAFTED_CASES


# --------------------------------------------------------------------------- rewrites against their definitions

_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


@profile(4)
@given(st.text(st.sampled_from("*_a \n\t.b"), max_size=30))
@example(" **a" * 20)
@example("***x***")
def test_strip_strong_is_the_regex_it_replaces(text):
    from tui.core.text import _strip_strong

    assert _strip_strong(text) == _STRONG.sub(r"\2", text)


_NAME_POOL = ["Mohammad", "Muhammad", "Mohammed", "Khawaja", "Khwaja", "Asif", "Asef", "Ahmed", "Ahmad", "Sharif",
              "Shariq", "Tehreek", "Tehrik", "Islamabad", "Islamabaad", "Defence", "Defense", "Kabul", "Kabool"]


@profile(2)
@given(st.lists(st.lists(st.sampled_from([*_NAME_POOL, "said", "and", "met", "the"]), min_size=1, max_size=10),
                min_size=2, max_size=4))
def test_name_linking_groups_as_the_pairwise_definition(sentences):
    """Grouping by spelling gives the same groups as comparing every mention with every other."""
    from functools import partial

    from tui.core import analysis, flags

    an = {m: analysis._analyse("They say " + " ".join(words) + ".") for m, words in enumerate(sentences)}
    nodes = [(m, n) for m in sorted(an) for n in an[m].names]
    parent = list(range(len(nodes)))
    linked = flags._link_similar_names(an, nodes, parent)
    find = partial(flags._find, parent)
    got = {frozenset(i for i in linked if find(i) == find(j)) for j in linked}

    # the definition: every pair of mentions of different sources
    ref_parent = list(range(len(nodes)))
    ref_find = partial(flags._find, ref_parent)
    ref_linked = set()
    for i, (ma, na) in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            mb, nb = nodes[j]
            if mb == ma or na.norm in an[mb].all_forms or nb.norm in an[ma].all_forms:
                continue
            if not flags._similar_spelling(na.norm, nb.norm):
                continue
            if min(len(na.norm), len(nb.norm)) >= 8 or (na.prev is not None and na.prev == nb.prev) or (
                    na.next is not None and na.next == nb.next):
                ref_parent[ref_find(i)] = ref_find(j)
                ref_linked.update((i, j))
    want = {frozenset(i for i in ref_linked if ref_find(i) == ref_find(j)) for j in ref_linked}
    assert got == want
