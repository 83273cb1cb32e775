"""The lean NLTK loading must change start-up time only, never a sentence or a stem."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import json, sys
from tui.core.pipeline import load
from tui.core.text import features
sources = load(None)
spans = [[(s.start, s.end, s.kind) for s in src.sentences] for src in sources]
stems = [sorted(features(s.text).stems) for src in sources for s in src.sentences[:8]]
from tui.core.nltk_parts import EnglishStemmer
words = ["running", "negotiations", "retaliatory", "obliterate", "casualties", "généralement"]
lean = not hasattr(sys.modules["nltk"], "download")
print(json.dumps({"spans": spans, "stems": stems, "words": [EnglishStemmer().stem(w) for w in words], "lean": lean}))
"""


def _run(full: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PARALLAX_FULL_NLTK"}
    if full:
        env["PARALLAX_FULL_NLTK"] = "1"
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_lean_and_full_nltk_split_and_stem_the_seeds_identically():
    lean, full = _run(full=False), _run(full=True)
    assert lean["lean"] is True and full["lean"] is False
    assert lean["spans"] and any(lean["spans"])
    assert lean["spans"] == full["spans"]
    assert lean["stems"] == full["stems"]
    assert lean["words"] == full["words"]


def test_reading_the_articles_leaves_snowball_unloaded_until_something_stems():
    code = (
        "import sys\n"
        "from tui.core.pipeline import load\n"
        "sources = load(None)\n"
        "print(len(sources) > 1, 'nltk.stem.snowball' in sys.modules)\n"
        "from tui.core.nltk_parts import EnglishStemmer, SnowballStemmer\n"
        "print(EnglishStemmer().stem('negotiations'), SnowballStemmer('english').stem('running'),\n"
        "      'nltk.stem.snowball' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "negoti", "run", "True"], out.stderr
