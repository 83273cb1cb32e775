"""Subprocess side of :class:`regexkit.Worker`: run a core pattern over a text, report the time.

Reads one JSON request per line (``{"name": ..., "texts": [...]}``) and answers
``{"seconds": ...}`` per text. Kept this small so that the only thing the parent waits
for is the regex engine itself.
"""

from __future__ import annotations

import json
import sys
import time

from regexkit import core_patterns


def main() -> None:
    sys.stdin.reconfigure(encoding="utf-8", errors="surrogatepass")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8", errors="surrogatepass")  # type: ignore[union-attr]
    patterns = core_patterns()
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pattern = patterns.get(request["name"])
        if pattern is None:
            print(json.dumps({"error": "no such pattern"}), flush=True)
            continue
        search = request.get("mode", "search") == "search"
        binary = isinstance(pattern.pattern, bytes)
        for text in request["texts"]:
            if binary:
                text = text.encode("utf-8", "surrogatepass")
            started = time.perf_counter()
            if search:
                for _ in pattern.finditer(text):
                    pass
            newline = b"\n" if binary else "\n"
            for piece in [text, *text.split(newline)] if newline in text else [text]:
                pattern.match(piece)
                pattern.fullmatch(piece)
            print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)


if __name__ == "__main__":
    main()
