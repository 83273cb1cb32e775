"""Every regular expression of the core, and input built to make each one backtrack.

A backtracking regex engine turns some patterns quadratic or exponential on
the right input: ``\\s+\\s*x`` on a run of spaces, ``(a|ab)*c`` on ``abab...``,
a lazy ``.+?`` hunting for a closing ``**`` that never comes. Scraped text is
exactly where such runs occur (a line of 16,000 spaces, ``**`` left by a
broken converter), and one slow pattern freezes ingest, the aligner or the
reader. So the patterns are collected *programmatically* -- every compiled
``re.Pattern`` reachable from a module of ``tui.core`` -- and a new pattern is
covered the day it is written.

Attacks are derived from each pattern's own parse tree: the bodies of its
repeats and prefixes of its sequence are "pumps" to repeat thousands of
times, followed by a character that makes the match fail at the last moment.
:mod:`regex_worker` runs them in a subprocess so that a pattern that
blows up is killed after a generous time bound instead of hanging the suite.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import select
import subprocess
import sys
import time
from pathlib import Path

try:  # Python 3.11+
    import re._constants as sre_constants  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[1]

#: Characters appended after a pump: a match that ran over the pump fails on them.
BREAKERS = ("", "\n", " ", "!", "a", "#", "*", ".", "\x00", "\u00e9", "Z", "9", '"', ")", "]")


def core_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern defined at module level in ``tui.core`` (also inside lists, tuples, dicts).

    Bytes patterns (charset sniffing) are included; their attacks are sent as UTF-8.

    Keys are stable names such as ``tui.core.text._CONTRACTIONS[3][0]``. A
    pattern imported from another module is listed once, under the first name
    found.
    """
    import tui.core

    found: dict[str, re.Pattern] = {}
    seen: set[int] = set()

    def visit(name: str, value: object, depth: int) -> None:
        if isinstance(value, re.Pattern):
            if id(value) not in seen:
                seen.add(id(value))
                found[name] = value
            return
        if depth >= 3:
            return
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(f"{name}[{i}]", item, depth + 1)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(f"{name}[{key!r}]", item, depth + 1)

    for info in sorted(pkgutil.walk_packages(tui.core.__path__, "tui.core."), key=lambda i: i.name):
        module = importlib.import_module(info.name)
        for attr, value in sorted(vars(module).items()):
            visit(f"{info.name}.{attr}", value, 0)
    return found


#: How a pattern is used: ``search`` (finditer, sub, split, search: tried at
#: every position) or ``anchored`` (only ``match``/``fullmatch``: one attempt
#: at a given position, so a pattern tried once per line may backtrack over
#: the line but not once per character of it).
SEARCH, ANCHORED = "search", "anchored"


def usage() -> dict[str, str]:
    """:data:`SEARCH` or :data:`ANCHORED` for every pattern of :func:`core_patterns`, read off the source.

    A pattern counts as anchored only if every use of its name anywhere in
    ``tui.core`` is a ``.match(`` or ``.fullmatch(`` call; any other use
    (``.search``, ``.sub``, passing it on, a pattern inside a list) means it
    is tested as searched everywhere, the stricter case.
    """
    import ast

    import tui.core

    methods: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(tui.core.__path__, "tui.core."):
        module = importlib.import_module(info.name)
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        attribute_values: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                attribute_values.add(id(node.value))
                methods.setdefault(node.value.id, set()).add(node.attr)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in attribute_values:
                methods.setdefault(node.id, set()).add("<other>")
    out: dict[str, str] = {}
    for name in core_patterns():
        attr = name.rsplit(".", 1)[-1]
        used = methods.get(attr, set())
        out[name] = ANCHORED if "[" not in attr and used and used <= {"match", "fullmatch"} else SEARCH
    return out


# --------------------------------------------------------------------------- sampling from a parse tree

_CATEGORY_CHARS = {
    sre_constants.CATEGORY_DIGIT: "7",
    sre_constants.CATEGORY_NOT_DIGIT: "a",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: "a",
    sre_constants.CATEGORY_WORD: "a",
    sre_constants.CATEGORY_NOT_WORD: " ",
}


def _in_char(items: list, pick: int) -> str:
    """A character matching a character-class body (best effort)."""
    chars: list[str] = []
    negate = False
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            chars.append(chr(av))
        elif op is sre_constants.RANGE:
            chars.append(chr(av[0]))
            chars.append(chr(av[1]))
        elif op is sre_constants.CATEGORY:
            chars.append(_CATEGORY_CHARS.get(av, "a"))
    if negate:
        for c in "a Z7.\u00e9-":
            if c not in chars:
                return c
        return "\u2603"
    return chars[pick % len(chars)] if chars else "a"


def sample(tree: list, pick: int = 0, reps: int = 1) -> str:
    """A string that (mostly) matches the parsed sequence ``tree``; ``pick`` varies branches and classes."""
    out: list[str] = []
    for op, av in tree:
        if op is sre_constants.LITERAL:
            out.append(chr(av))
        elif op is sre_constants.NOT_LITERAL:
            out.append("a" if chr(av) != "a" else "b")
        elif op is sre_constants.ANY:
            out.append("a")
        elif op is sre_constants.IN:
            out.append(_in_char(av, pick))
        elif op is sre_constants.BRANCH:
            branches = av[1]
            out.append(sample(branches[pick % len(branches)], pick // len(branches), reps))
        elif op is sre_constants.SUBPATTERN:
            out.append(sample(av[-1], pick, reps))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or getattr(op, "name", "") == "POSSESSIVE_REPEAT":
            low, high, body = av
            count = max(low, min(high, reps))
            out.append("".join(sample(body, pick + k, reps) for k in range(count)))
        elif getattr(op, "name", "") == "ATOMIC_GROUP":
            out.append(sample(av, pick, reps))
        # anchors, assertions and back references add nothing
    return "".join(out)


def _is_repeat(op: object) -> bool:
    return op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or getattr(op, "name", "") == "POSSESSIVE_REPEAT"


def seeds(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """``(head, pump)`` pairs for ``pattern``: what to start with, what to repeat after it.

    Three families, from the parse tree: (1) for every repeat anywhere, the
    text that leads up to it as head and samples of its body as pump (the
    ``Nobody`` + spaces case); (2) every prefix of every sequence, repeated
    from the start (`` **a`` repeated, a match that starts everywhere and
    never closes); (3) every single character of the pattern's alphabet,
    repeated (runs of spaces, of ``*``).
    """
    tree = list(sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE))
    found: set[tuple[str, str]] = set()

    def walk(seq: list, context: str) -> None:
        for cut in range(1, len(seq) + 1):
            for pick in range(2):
                prefix = context + sample(seq[:cut], pick)
                if prefix:
                    found.add(("", prefix))
                    found.add(("", " " + prefix))
        for i, (op, av) in enumerate(seq):
            head = context + sample(seq[:i])
            if _is_repeat(op):
                low, high, body = av
                if high > 1:
                    for pick in range(3):
                        pump = sample(body, pick)
                        if pump:
                            found.add((head, pump))
                            found.add((head + sample(body, pick, reps=1), pump))
                walk(body, head)
            elif op is sre_constants.SUBPATTERN:
                walk(av[-1], head)
            elif op is sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch, head)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1], head)
            elif getattr(op, "name", "") == "ATOMIC_GROUP":
                walk(av, head)

    walk(tree, "")
    alphabet = {c for head, pump in found for c in head + pump}
    found |= {("", c) for c in alphabet}
    return sorted((h, p) for h, p in found if len(h) <= 80 and len(p) <= 80)


def attack(head: str, pump: str, breaker: str, size: int, lines: int = 1) -> str:
    """``lines`` lines of ``head + pump * k + breaker``, about ``size`` characters in all."""
    per_line = max(1, size // lines)
    k = max(1, (per_line - len(head) - len(breaker)) // max(1, len(pump)))
    line = head + pump * k + breaker
    return "\n".join([line] * lines) if lines > 1 else line


# --------------------------------------------------------------------------- running in a subprocess


class Slow(AssertionError):
    """A pattern took longer than the bound on an input (or killed its worker)."""


class Worker:
    """A subprocess that runs one pattern over one text at a time, killed if it overruns.

    The bound is a guard against blow-ups, not a speed measurement: a linear
    pattern takes milliseconds on the sizes used here, a quadratic one minutes.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self._pending = b""

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "regex_worker"], cwd=REPO, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            )
            self._pending = b""
            ready = self._read(120.0)
            if ready != "ready":
                raise RuntimeError(f"regex worker did not start: {ready!r}")
        return self.proc

    def _read(self, timeout: float) -> str | None:
        """The next reply line, "" if the worker died, None after ``timeout`` seconds.

        Reads the pipe's descriptor directly: a buffered ``readline`` may hold
        the next replies already, which ``select`` cannot see.
        """
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return ""
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8").strip()

    def run(self, name: str, texts: list[str], timeout: float, mode: str = SEARCH) -> list[float]:
        """Seconds ``name`` took over each of ``texts``; :class:`Slow` past ``timeout``.

        Each text is run as the pattern is used (``mode``, see :func:`usage`):
        searched with ``finditer`` or tried once with ``match``/``fullmatch``,
        both on the whole text and on each of its lines.

        The texts are sent at once and answered one by one, so ``timeout``
        bounds each text and a blow-up is reported with the text that caused it.
        """
        proc = self._start()
        assert proc.stdin is not None
        proc.stdin.write((json.dumps({"name": name, "texts": texts, "mode": mode}) + "\n").encode("ascii"))
        proc.stdin.flush()
        seconds: list[float] = []
        for text in texts:
            reply = self._read(timeout)
            if reply is None:
                self.close()
                raise Slow(f"{name} still running after {timeout:.0f} s on {describe(text)}")
            if not reply:
                self.close()
                raise Slow(f"{name} killed its worker on {describe(text)}")
            data = json.loads(reply)
            if "error" in data:
                self.close()
                raise AssertionError(f"{name}: {data['error']}")
            seconds.append(float(data["seconds"]))
        return seconds

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def describe(text: str) -> str:
    """A short, readable picture of an attack string (it may be 50,000 characters long)."""
    if len(text) <= 80:
        return repr(text)
    return f"{len(text):,} chars: {text[:40]!r} ... {text[-30:]!r}"
