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


def test_aligning_the_articles_never_loads_snowball_which_still_loads_on_request():
    code = (
        "import sys\n"
        "from tui.core.pipeline import load\n"
        "from tui.core.align import align\n"
        "sources = load(None)\n"
        "print(len(align(sources).rows) > 1, 'nltk.stem.snowball' in sys.modules)\n"
        "from tui.core.nltk_parts import EnglishStemmer, SnowballStemmer\n"
        "print(EnglishStemmer().stem('negotiations'), SnowballStemmer('english').stem('running'),\n"
        "      'nltk.stem.snowball' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "negoti", "run", "True"], out.stderr


def test_splitting_the_seeds_leaves_nltks_file_and_network_modules_unloaded():
    code = (
        "import sys\n"
        "from tui.core.pipeline import load\n"
        "from tui.core.segment import split_sentences\n"
        "sources = load(None)\n"
        "assert len(sources) > 1 and split_sentences('Dr. Smith came. He left.') == [(0, 15), (16, 24)]\n"
        "from tui.core.nltk_parts import _STAND_INS\n"
        "print(*[getattr(sys.modules.get(m), '_parallax_stand_in', False) for m in _STAND_INS],\n"
        "      *[m in sys.modules for m in ('http.client', 'ssl', 'email', 'urllib.request', 'xml.sax.saxutils',\n"
        "                                   'xml.etree.ElementTree', 'subprocess')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True"] * 6 + ["False"] * 7, out.stderr


def test_punkt_still_trains_through_the_stand_ins():
    code = (
        "import sys\n"
        "from tui.core.nltk_parts import PunktSentenceTokenizer\n"
        "from nltk.tokenize.punkt import PunktTrainer\n"
        "trainer = PunktTrainer()\n"
        "trainer.train('Mr. Smith came home. He sat down. Mr. Jones left. Dr. Who stayed.', finalize=True)\n"
        "tok = PunktSentenceTokenizer(trainer.get_params())\n"
        "print(type(trainer._type_fdist).__module__, len(tok.tokenize('It rained. We left.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["nltk.probability", "2"], out.stderr


def test_a_stand_in_hands_over_to_nltks_own_module_on_first_use():
    code = (
        "import sys\n"
        "import tui.core.nltk_parts\n"
        "from nltk.tokenize.util import string_span_tokenize\n"
        "from nltk import pathsec\n"
        "print(list(string_span_tokenize('ab cd  e', ' ')), type(pathsec._is_windows_device_name('CON')).__name__,\n"
        "      hasattr(sys.modules['nltk.tokenize.util'], '_parallax_stand_in'),\n"
        "      hasattr(sys.modules['nltk.pathsec'], '_parallax_stand_in'), 'http.client' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[(0,", "2),", "(3,", "5),", "(6,", "6),", "(7,", "8)]", "bool", "False", "False",
                                  "True"], out.stderr
