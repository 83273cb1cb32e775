"""NLTK's Punkt, the piece of NLTK Parallax uses, loaded lean (and its Snowball stemmer, for the tests).

Why this module exists: ``import nltk.tokenize.punkt`` first runs
``nltk/__init__.py``, which imports most of NLTK (collocations, metrics,
translation scores, parsers, taggers…). That costs about 200 ms on the
reference machine, a fifth of the reader's launch-to-first-paint budget, for
two modules that need none of it. So the ``nltk`` package and the three
sub-packages on the way (``tokenize``, ``stem``, ``corpus``) are registered
as plain namespace modules pointing at NLTK's own folders, and only the
modules Punkt and Snowball really import are executed. The code that runs is
NLTK's, unchanged. Parallax stems with its own :mod:`tui.core.stemmer`, and
never loads NLTK's Snowball; ``SnowballStemmer`` and ``EnglishStemmer``
load it on first use, for the tests that compare the two.

``nltk.corpus`` gets a ``stopwords`` placeholder: Snowball only touches it
with ``ignore_stopwords=True``, which Parallax never uses (and the stop-word
corpus is downloadable data, which Parallax never fetches).

``nltk.pathsec`` (NLTK's guarded file access), ``nltk.tokenize.util``,
``nltk.probability``, ``nltk.internals``, ``nltk.picklesec`` and
``nltk.tabdata`` get stand-ins too (:data:`_STAND_INS`): Punkt imports them
(directly, or through ``nltk.tokenize.api``), and between them the real ones
import ``http.client``, ``ssl``, ``email``, ``urllib.request``,
``subprocess`` and ``xml.etree`` (40-50 ms) for file, network, training and
tokenizer paths Parallax never takes (Punkt is built from hand-written
parameters, nothing is trained, loaded or saved). A stand-in's
functions, and any other name read from it, load the real module on first
use and hand the call over, so a path that does need one still runs NLTK's
own code.

If anything about this fails (another NLTK layout), every half-loaded
``nltk`` module is dropped and the ordinary import is used, so the worst case
is the old start-up time, never a broken tokenizer. Set
``PARALLAX_FULL_NLTK=1`` to skip the shortcut.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nltk.stem.snowball import EnglishStemmer, SnowballStemmer

_LEAN_PACKAGES = ("tokenize", "stem", "corpus")


def _forget_nltk() -> None:
    for name in [m for m in sys.modules if m == "nltk" or m.startswith("nltk.")]:
        del sys.modules[name]


#: Stand-ins for NLTK modules Punkt's import pulls in but Parallax never calls, with the names
#: imported from them as they load (``from … import name``): ``nltk.pathsec`` (imported by Punkt
#: and ``nltk.internals``), ``nltk.tokenize.util`` (by ``nltk.tokenize.api``, for the
#: ``StringTokenizer`` Punkt does not use; it imports ``xml.sax.saxutils``, which imports
#: ``urllib.request``, ``http.client``, ``email`` and ``ssl``) and the rest below
_STAND_INS = {
    "nltk.pathsec": ("open", "validate_path", "_as_path_text", "_reject_bad_name_syntax", "safe_env"),
    "nltk.tokenize.util": ("string_span_tokenize",),
    # Punkt's training (FreqDist), pickle loading and saving, and TokenizerI.tokenize's default
    # (overridden: Punkt has its own); nltk.internals imports subprocess, ast and xml.etree
    "nltk.probability": ("FreqDist",),
    "nltk.picklesec": ("allowlisted_pickle_load",),
    "nltk.tabdata": ("TabEncoder",),
    "nltk.internals": ("overridden",),
}


def _real(name: str) -> Any:
    """NLTK's own module ``name``, imported in place of its stand-in (on the first use that needs it)."""
    module = sys.modules.get(name)
    if module is None or getattr(module, "_parallax_stand_in", False):
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
        parent, _, leaf = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], leaf, module)
    return module


def _stand_in(name: str, imported: tuple[str, ...]) -> types.ModuleType:
    """A module ``name`` whose every name loads the real module when first used and defers to it."""
    module = types.ModuleType(name)
    module._parallax_stand_in = True  # type: ignore[attr-defined]

    def handing_over(attr: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(_real(name), attr)(*args, **kwargs)

        call.__name__ = attr
        return call

    def any_other(attr: str) -> Any:
        if attr.startswith("__"):  # the import system asks for __path__ and the like: a plain module has none
            raise AttributeError(attr)
        return getattr(_real(name), attr)

    for attr in imported:
        setattr(module, attr, handing_over(attr))
    module.__getattr__ = any_other  # type: ignore[method-assign]
    return module


def _register_lean_packages() -> bool:
    """Put namespace stand-ins for ``nltk`` and its sub-packages in ``sys.modules``."""
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        return False
    root = list(spec.submodule_search_locations)[0]
    pkg = types.ModuleType("nltk")
    pkg.__path__ = [root]
    pkg.__file__ = spec.origin
    pkg.__package__ = "nltk"
    sys.modules["nltk"] = pkg
    for sub in _LEAN_PACKAGES:
        module = types.ModuleType(f"nltk.{sub}")
        module.__path__ = [os.path.join(root, sub)]
        module.__package__ = f"nltk.{sub}"
        sys.modules[f"nltk.{sub}"] = module
        setattr(pkg, sub, module)
    sys.modules["nltk.corpus"].stopwords = None  # type: ignore[attr-defined]
    for name, imported in _STAND_INS.items():
        parent, _, leaf = name.rpartition(".")
        sys.modules[name] = _stand_in(name, imported)
        setattr(sys.modules[parent], leaf, sys.modules[name])
    return True


def _load() -> tuple[Any, Any]:
    if "nltk" not in sys.modules and not os.environ.get("PARALLAX_FULL_NLTK"):
        try:
            if _register_lean_packages():
                punkt = importlib.import_module("nltk.tokenize.punkt")
                return punkt.PunktParameters, punkt.PunktSentenceTokenizer
        except Exception:  # noqa: BLE001 - any surprise: fall back to NLTK's own import
            pass
        _forget_nltk()
    punkt = importlib.import_module("nltk.tokenize.punkt")
    return punkt.PunktParameters, punkt.PunktSentenceTokenizer


def _load_snowball() -> Any:
    """NLTK's Snowball, on first use (the tests' reference for :mod:`tui.core.stemmer`)."""
    try:
        return importlib.import_module("nltk.stem.snowball")
    except Exception:  # noqa: BLE001 - the lean packages let it down: NLTK's own import
        if os.environ.get("PARALLAX_FULL_NLTK") or hasattr(sys.modules.get("nltk"), "download"):
            raise
        _forget_nltk()
        return importlib.import_module("nltk.stem.snowball")


PunktParameters, PunktSentenceTokenizer = _load()


def __getattr__(name: str) -> Any:
    if name in ("SnowballStemmer", "EnglishStemmer"):
        value = getattr(_load_snowball(), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EnglishStemmer", "PunktParameters", "PunktSentenceTokenizer", "SnowballStemmer"]
